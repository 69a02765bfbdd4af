import { base64url, calculateJwkThumbprint, importJWK, SignJWT, type CryptoKey, type JWK, type KeyObject } from 'jose';
import { isJwk, proofAlgorithm, publicJwk } from './keys.js';
import type { DpopOptions } from './types.js';

/** Servers' nonces kept at once: one per origin the client talks to (token endpoint, APIs). */
const MAX_NONCES = 32;

export interface ProofRequest {
  /** RFC 9449 §4.2 `htm`. */
  method: string;
  /** The request URL; `htu` is it without query and fragment (§4.2). */
  url: string;
  /** The access token the request carries: its hash is `ath` (§4.2, for resource servers). */
  accessToken?: string;
}

/** The DPoP key pair of one client and what servers told it (RFC 9449). */
export interface Dpop {
  /** RFC 7638 thumbprint of the public key: the tokens' `cnf.jkt` (§6.1). */
  thumbprint(): Promise<string>;
  /** Pick the proofs' algorithm from what the authorization server accepts (`dpop_signing_alg_values_supported`). */
  useAlgorithms(supported: string[] | undefined): void;
  /** A fresh proof JWT for one request: new `jti`, current `iat`, the server's latest nonce. */
  proof(request: ProofRequest): Promise<string>;
  /** Keep the `DPoP-Nonce` a server sent (§8, §9): the next proof to that origin carries it. */
  learn(url: string, nonce: string | null | undefined): void;
  /** The nonce the next proof to `url`'s origin will carry. */
  nonceFor(url: string): string | undefined;
}

export function createDpop(options: DpopOptions): Dpop {
  const option = 'dpop.privateKey';
  const publicKey = options.publicKey ?? options.privateKey;
  let jwk: Promise<JWK> | undefined;
  const publicJwkOnce = () => (jwk ??= publicJwk(publicKey, options.publicKey === undefined ? option : 'dpop.publicKey'));
  let algorithm = proofAlgorithm(options.privateKey, { option, algorithm: options.algorithm, supported: undefined });
  const imported = new Map<string, Promise<CryptoKey | KeyObject>>();
  const signingKey = (alg: string): Promise<CryptoKey | KeyObject> => {
    const key = options.privateKey;
    if (!isJwk(key)) return Promise.resolve(key);
    let pending = imported.get(alg);
    if (pending === undefined) {
      pending = importJWK(key, alg) as Promise<CryptoKey>;
      imported.set(alg, pending);
    }
    return pending;
  };
  const nonces = new Map<string, string>();

  return {
    thumbprint: async () => calculateJwkThumbprint(await publicJwkOnce(), 'sha256'),
    useAlgorithms(supported) {
      algorithm = proofAlgorithm(options.privateKey, { option, algorithm: options.algorithm, supported });
    },
    async proof({ method, url, accessToken }) {
      const target = new URL(url);
      target.search = '';
      target.hash = '';
      const nonce = nonces.get(target.origin);
      const claims: Record<string, string> = { htm: method, htu: target.href, jti: crypto.randomUUID() };
      if (nonce !== undefined) claims.nonce = nonce;
      if (accessToken !== undefined) claims.ath = await tokenHash(accessToken);
      const alg = algorithm;
      // iat from the wall clock: the server checks it against its own (§4.3 item 11).
      return new SignJWT(claims)
        .setProtectedHeader({ alg, typ: 'dpop+jwt', jwk: await publicJwkOnce() })
        .setIssuedAt(Math.floor(Date.now() / 1000))
        .sign(await signingKey(alg));
    },
    learn(url, nonce) {
      if (nonce === null || nonce === undefined || nonce === '' || url === '') return;
      const { origin } = new URL(url);
      nonces.delete(origin);
      nonces.set(origin, nonce);
      if (nonces.size > MAX_NONCES) nonces.delete(nonces.keys().next().value as string);
    },
    nonceFor: (url) => nonces.get(new URL(url).origin),
  };
}

/** RFC 9449 §4.2 `ath`: base64url of the SHA-256 of the ASCII access token. */
async function tokenHash(accessToken: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(accessToken));
  return base64url.encode(new Uint8Array(digest));
}

/**
 * RFC 9449 §9 (resource servers) and §8 (authorization servers, as an error `use_dpop_nonce`): the
 * server wants a proof with the nonce it sent. True for a resource server's 401 challenge.
 */
export function isNonceChallenge(response: { status: number; headers: { get(name: string): string | null } }): boolean {
  if (response.status !== 401 || response.headers.get('dpop-nonce') === null) return false;
  const challenge = response.headers.get('www-authenticate') ?? '';
  return /\bDPoP\b/i.test(challenge) && /\berror\s*=\s*"?use_dpop_nonce\b/i.test(challenge);
}
