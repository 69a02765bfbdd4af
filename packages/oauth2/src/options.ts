import { ConfigurationError } from '@fintoken/core';
import { commonOptionsShape, insecureHttpAllowed, parseOptions, transportRuntime, urlOption } from '@fintoken/core/provider';
import * as z from '@fintoken/core/schema';
import { reservedParameter } from './request.js';
import type { AuthMethod, OAuth2ClientOptions } from './types.js';

export const FACTORY = 'createOAuth2Client';

export const SECRET_METHODS = ['client_secret_basic', 'client_secret_post', 'client_secret_jwt'] as const;
export const TLS_METHODS = ['tls_client_auth', 'self_signed_tls_client_auth'] as const;
const METHODS = [...SECRET_METHODS, 'private_key_jwt', ...TLS_METHODS] as const;

const nonEmpty = () => z.string().check(z.minLength(1, 'must not be empty'));
const list = () => z.union([nonEmpty(), z.array(nonEmpty())], 'must be a non-empty string or an array of them');
const valueOrFunction = (what: string, isValue: (v: unknown) => boolean) =>
  z.custom<unknown>((v) => typeof v === 'function' || isValue(v), `must be ${what} or a function returning one`);
const isObject = (v: unknown) => typeof v === 'object' && v !== null;
const keyShape = () => z.custom<object>((v) => isObject(v), 'must be a CryptoKey, a KeyObject or a JWK');

/** The options schema; `allowHttp` decides whether non-loopback http URLs pass. */
function optionsSchema(allowHttp: boolean) {
  return z.strictObject({
    ...commonOptionsShape,
    issuer: z.optional(urlOption({ allowHttp })),
    tokenUrl: z.optional(urlOption({ allowHttp })),
    clientId: nonEmpty(),
    // Their values are checked by createCredential, which names the option and never the value.
    clientSecret: z.optional(valueOrFunction('a non-empty string', (v) => typeof v === 'string')),
    privateKey: z.optional(valueOrFunction('a private key', (v) => typeof v === 'string' || isObject(v))),
    keyId: z.optional(nonEmpty()),
    algorithm: z.optional(nonEmpty()),
    authMethod: z.optional(z.enum(METHODS)),
    assertionAudience: z.optional(nonEmpty()),
    tls: z.optional(valueOrFunction('an object with cert and key', isObject)),
    dpop: z.optional(z.strictObject({ privateKey: keyShape(), publicKey: z.optional(keyShape()), algorithm: z.optional(nonEmpty()) })),
    scope: z.optional(list()),
    resource: z.optional(list()),
    audience: z.optional(list()),
    parameters: z.optional(z.record(z.string(), z.union([z.string(), z.array(z.string())], 'must be a string or an array of strings'))),
    apiUrl: z.optional(urlOption({ allowHttp })),
    allowInsecureHttp: z.optional(z.boolean()),
    name: z.optional(z.string().check(z.regex(/^[a-z0-9][a-z0-9._-]{0,62}$/i, 'must be letters, digits, dots, dashes or underscores'))),
  });
}

/**
 * Validate the factory's options once: a `ConfigurationError` naming every bad field (never its
 * value), then the rules between fields (one way to authenticate, one server).
 */
export function parseOAuth2Options(input: unknown): OAuth2ClientOptions {
  const options = parseOptions(optionsSchema(insecureHttpAllowed(input)), input, FACTORY) as OAuth2ClientOptions;
  checkCombination(options);
  return options;
}

function refuse(message: string): never {
  throw new ConfigurationError(`${FACTORY}: invalid options: ${message}`);
}

function checkCombination(o: OAuth2ClientOptions): void {
  if (o.issuer === undefined && o.tokenUrl === undefined) refuse('issuer or tokenUrl is required (issuer: the metadata is discovered)');
  if (o.issuer !== undefined && new URL(o.issuer).search !== '') refuse('issuer: must not contain a query (RFC 8414 §2)');
  if (o.clientSecret !== undefined && o.privateKey !== undefined) refuse('give clientSecret or privateKey, not both');
  const method = o.authMethod;
  if (o.clientSecret !== undefined && method !== undefined && !(SECRET_METHODS as readonly string[]).includes(method)) {
    refuse(`authMethod: ${method} does not use clientSecret (use ${SECRET_METHODS.join(', ')})`);
  }
  if (o.privateKey !== undefined && method !== undefined && method !== 'private_key_jwt') refuse(`authMethod: ${method} does not use privateKey (use private_key_jwt)`);
  if (o.clientSecret === undefined && o.privateKey === undefined) {
    if (method !== undefined && !isTlsMethod(method)) refuse(`authMethod: ${method} needs ${method === 'private_key_jwt' ? 'privateKey' : 'clientSecret'}`);
    if (o.tls === undefined && (method === undefined || o.dispatcher === undefined)) {
      refuse('one way to authenticate is required: clientSecret, privateKey or tls (or authMethod tls_client_auth with a dispatcher that holds the certificate)');
    }
  }
  if (o.algorithm !== undefined && o.privateKey === undefined && method !== 'client_secret_jwt') refuse('algorithm: only for client_secret_jwt and private_key_jwt');
  if (o.keyId !== undefined && o.privateKey === undefined) refuse('keyId: only with privateKey');
  if (o.tls !== undefined) {
    if (transportRuntime !== 'undici') refuse('tls: mutual TLS needs Node (an undici Agent with the client certificate); this runtime uses the global fetch');
    if (o.dispatcher !== undefined) refuse('give tls or dispatcher, not both (behind a proxy: an undici ProxyAgent with requestTls holding the certificate, as dispatcher, and authMethod tls_client_auth)');
  }
  if (o.dpop !== undefined && o.dpop.publicKey === undefined && !isJwk(o.dpop.privateKey)) refuse('dpop.publicKey: is required unless dpop.privateKey is a JWK');
  for (const name of Object.keys(o.parameters ?? {})) {
    if (reservedParameter(name)) refuse(`parameters.${name}: is set by the client itself (use the option of that name, if any)`);
  }
}

export function isTlsMethod(method: AuthMethod | undefined): boolean {
  return method === 'tls_client_auth' || method === 'self_signed_tls_client_auth';
}

function isJwk(key: unknown): boolean {
  return isObject(key) && typeof (key as { kty?: unknown }).kty === 'string';
}
