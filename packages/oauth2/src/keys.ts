import { ConfigurationError } from '@fintoken/core';
import { exportJWK, importJWK, importPKCS8, type CryptoKey, type JWK, type KeyObject } from 'jose';
import { FACTORY } from './options.js';
import { pkcs8KeyKind, type KeyKind } from './pkcs8.js';
import type { PrivateKey } from './types.js';

/** A key ready for jose's `sign`, with the JWS algorithm and `kid` it signs under. */
export interface SigningKey {
  key: CryptoKey | KeyObject | Uint8Array;
  algorithm: string;
  keyId: string | undefined;
}

// The JWS algorithms (RFC 7518 §3.1, RFC 8037 §3.1) each kind of key can sign with, preferred first.
const ALGORITHMS: Record<KeyKind, string[]> = {
  RSA: ['RS256', 'PS256', 'RS384', 'PS384', 'RS512', 'PS512'],
  'RSA-PSS': ['PS256', 'PS384', 'PS512'],
  'P-256': ['ES256'],
  'P-384': ['ES384'],
  'P-521': ['ES512'],
  Ed25519: ['EdDSA', 'Ed25519'],
};

const CURVES: Record<string, KeyKind> = { 'P-256': 'P-256', prime256v1: 'P-256', 'P-384': 'P-384', secp384r1: 'P-384', 'P-521': 'P-521', secp521r1: 'P-521' };

export const isCryptoKey = (value: unknown): value is CryptoKey => typeof CryptoKey !== 'undefined' && value instanceof CryptoKey;
export const isJwk = (value: unknown): value is JWK => typeof value === 'object' && value !== null && typeof (value as JWK).kty === 'string';
/** What this file reads of a Node `KeyObject` (jose types it as `{ type }` only, to stay runtime-neutral). */
interface NodeKeyObject extends KeyObject {
  asymmetricKeyType?: string;
  asymmetricKeyDetails?: { namedCurve?: string };
  export: (...args: never[]) => unknown;
}
export const isKeyObject = (value: unknown): value is NodeKeyObject =>
  !isCryptoKey(value) && typeof value === 'object' && value !== null && typeof (value as NodeKeyObject).export === 'function' && typeof (value as KeyObject).type === 'string';

/** The algorithms a key can sign with: a CryptoKey is bound to one, a JWK may name its own. */
function candidates(key: PrivateKey): string[] | undefined {
  if (isCryptoKey(key)) {
    const algorithm = key.algorithm as { name: string; namedCurve?: string; hash?: { name: string } };
    const bits = algorithm.hash?.name.replace('SHA-', '');
    if (algorithm.name === 'RSASSA-PKCS1-v1_5') return [`RS${bits}`];
    if (algorithm.name === 'RSA-PSS') return [`PS${bits}`];
    if (algorithm.name === 'ECDSA') return ALGORITHMS[CURVES[algorithm.namedCurve ?? ''] ?? 'P-256'];
    if (algorithm.name === 'Ed25519') return ALGORITHMS.Ed25519;
    return undefined;
  }
  if (isKeyObject(key)) {
    const type = key.asymmetricKeyType;
    if (type === 'rsa') return ALGORITHMS.RSA;
    if (type === 'rsa-pss') return ALGORITHMS['RSA-PSS'];
    if (type === 'ec') {
      const curve = CURVES[key.asymmetricKeyDetails?.namedCurve ?? ''];
      return curve === undefined ? undefined : ALGORITHMS[curve];
    }
    if (type === 'ed25519') return ALGORITHMS.Ed25519;
    return undefined;
  }
  if (isJwk(key)) {
    if (typeof key.alg === 'string') return [key.alg];
    if (key.kty === 'RSA') return ALGORITHMS.RSA;
    if (key.kty === 'EC') return ALGORITHMS[CURVES[key.crv ?? ''] ?? 'P-256'];
    if (key.kty === 'OKP' && key.crv === 'Ed25519') return ALGORITHMS.Ed25519;
    return undefined;
  }
  if (typeof key === 'string') {
    const kind = pkcs8KeyKind(key);
    return kind === undefined ? undefined : ALGORITHMS[kind];
  }
  return undefined;
}

export interface ChooseOptions {
  /** The option, for messages: `privateKey`, `dpop.privateKey`. */
  option: string;
  /** The algorithm asked for, if any. */
  algorithm: string | undefined;
  /** What the server's metadata says it accepts, if it says. */
  supported: string[] | undefined;
}

/**
 * The algorithm to sign with: the one asked for; else the first this key can use that the server
 * lists (when it lists any), else the key's usual one.
 */
function chooseAlgorithm(key: PrivateKey, options: ChooseOptions): string {
  const usable = candidates(key);
  if (options.algorithm !== undefined) {
    if (usable !== undefined && !usable.includes(options.algorithm)) refuse(options, `cannot sign with ${options.algorithm} (it can with ${usable.join(', ')})`);
    return options.algorithm;
  }
  if (usable === undefined) refuse(options, 'is of a type this client cannot pick an algorithm for: give the algorithm option');
  if (options.supported === undefined) return usable[0]!;
  const accepted = usable.find((a) => options.supported!.includes(a));
  if (accepted === undefined) {
    refuse(options, `can sign with ${usable.join(', ')}, and the server accepts only ${options.supported.join(', ')}: use another key, or give the algorithm option`);
  }
  return accepted;
}

/** Turn a `privateKey` value into a key jose signs with. Never puts key material in an error. */
export async function importPrivateKey(input: PrivateKey, options: ChooseOptions & { keyId: string | undefined }): Promise<SigningKey> {
  if (typeof input === 'string' && !input.includes('-----BEGIN PRIVATE KEY-----')) {
    refuse(
      options,
      /-----BEGIN (RSA|EC|ENCRYPTED) PRIVATE KEY-----/.test(input)
        ? 'must be an unencrypted PKCS#8 PEM (-----BEGIN PRIVATE KEY-----): convert it with `openssl pkcs8 -topk8 -nocrypt`, or pass a KeyObject'
        : 'is a string but not a PKCS#8 PEM (-----BEGIN PRIVATE KEY-----)',
    );
  }
  if ((isCryptoKey(input) || isKeyObject(input)) && input.type !== 'private') refuse(options, `is a ${input.type} key, not a private one`);
  if (isJwk(input) && input.d === undefined) refuse(options, 'is a JWK without its private part (d)');
  const algorithm = chooseAlgorithm(input, options);
  const keyId = options.keyId ?? (isJwk(input) ? input.kid : undefined);
  try {
    if (typeof input === 'string') return { key: await importPKCS8(input, algorithm), algorithm, keyId };
    if (isJwk(input)) return { key: (await importJWK(input, algorithm)) as CryptoKey, algorithm, keyId };
    return { key: input as CryptoKey | KeyObject, algorithm, keyId };
  } catch (error) {
    // jose's message may describe the key; only its class is said.
    return refuse(options, `could not be imported for ${algorithm} (${error instanceof Error ? error.name : 'error'})`);
  }
}

/** The algorithm a DPoP key signs proofs with. */
export function proofAlgorithm(key: PrivateKey, options: ChooseOptions): string {
  return chooseAlgorithm(key, options);
}

// RFC 7517 §4 and RFC 7518 §6: the members of a public key, per key type.
const PUBLIC_MEMBERS: Record<string, string[]> = { RSA: ['kty', 'n', 'e'], EC: ['kty', 'crv', 'x', 'y'], OKP: ['kty', 'crv', 'x'] };

/** The public JWK of a key pair: exported, or the public members of a JWK. */
export async function publicJwk(key: CryptoKey | KeyObject | JWK, option: string): Promise<JWK> {
  let jwk: JWK;
  try {
    jwk = isJwk(key) ? key : await exportJWK(key);
  } catch (error) {
    return refuse({ option }, `could not be exported as a JWK (${error instanceof Error ? error.name : 'error'})`);
  }
  const members = PUBLIC_MEMBERS[jwk.kty ?? ''];
  if (members === undefined) refuse({ option }, `is a ${jwk.kty ?? 'untyped'} key; DPoP needs an asymmetric key (EC, RSA, OKP)`);
  return Object.fromEntries(members.filter((m) => (jwk as Record<string, unknown>)[m] !== undefined).map((m) => [m, (jwk as Record<string, unknown>)[m]])) as JWK;
}

function refuse(options: { option: string }, what: string): never {
  throw new ConfigurationError(`${FACTORY}: ${options.option} ${what}`);
}
