import { ConfigurationError } from '@fintoken/core';
import { createCredential, isSecretString, withCredential, type Credential, type FetchContext, type FormFields } from '@fintoken/core/provider';
import { ASSERTION_TYPE, clientAssertion } from './assertion.js';
import { importPrivateKey, isCryptoKey, isJwk, isKeyObject, type SigningKey } from './keys.js';
import type { ServerInfo } from './metadata.js';
import { FACTORY, SECRET_METHODS } from './options.js';
import type { AuthMethod, OAuth2ClientOptions, PrivateKey, PrivateKeyEntry } from './types.js';

/** What one token request attempt carries to authenticate the client. */
export interface Authentication {
  headers: Record<string, string>;
  fields: FormFields;
}

/** Authentication for one attempt: called again for every attempt (a new assertion each time). */
export type Authenticator = () => Promise<Authentication>;

export interface ClientAuth {
  /** What authenticates the client, for the cache key: the method asked for, or the credential's kind. */
  readonly kind: string;
  /** The method to use with this server: the one asked for, else the credential's, as the metadata allows. */
  method(info: ServerInfo): AuthMethod;
  /**
   * Run `call` with an authenticator for the credential's current value; after `invalid_client`,
   * read a rotating credential again and, when it changed, run once more (core's `withCredential`).
   */
  run<T>(method: AuthMethod, info: ServerInfo, endpoint: string, context: FetchContext, call: (authenticate: Authenticator) => Promise<T>): Promise<T>;
}

type KeyValue = PrivateKey | PrivateKeyEntry;

const isEntry = (value: unknown): value is PrivateKeyEntry => typeof value === 'object' && value !== null && 'key' in value && !isJwk(value);
const isKey = (value: unknown): value is PrivateKey => typeof value === 'string' || isCryptoKey(value) || isKeyObject(value) || isJwk(value);
const isKeyValue = (value: unknown): value is KeyValue => isKey(value) || (isEntry(value) && isKey(value.key));

export function createClientAuth(options: OAuth2ClientOptions): ClientAuth {
  const { clientId } = options;
  const secret = options.clientSecret === undefined ? undefined : createCredential(options.clientSecret, { name: 'clientSecret', factory: FACTORY, accept: isSecretString, expected: 'a non-empty string' });
  const key =
    options.privateKey === undefined
      ? undefined
      : createCredential<KeyValue>(options.privateKey, {
          name: 'privateKey',
          factory: FACTORY,
          accept: isKeyValue,
          expected: 'a private key (CryptoKey, KeyObject, private JWK or PKCS#8 PEM) or { key, keyId }',
        });
  const credential: Credential<string | KeyValue> | undefined = secret ?? key;
  // One import per key value: a rotated key is imported once, when it is first used.
  let imported: { value: KeyValue; algorithms: string[] | undefined; key: Promise<SigningKey> } | undefined;

  const signingKey = (value: KeyValue, info: ServerInfo): Promise<SigningKey> => {
    if (imported?.value === value && imported.algorithms === info.assertionAlgorithms) return imported.key;
    const entry = isEntry(value) ? value : { key: value };
    const pending = importPrivateKey(entry.key, {
      option: 'privateKey',
      algorithm: entry.algorithm ?? options.algorithm,
      supported: info.assertionAlgorithms,
      keyId: entry.keyId ?? options.keyId,
    });
    imported = { value, algorithms: info.assertionAlgorithms, key: pending };
    // A key that cannot be imported is not kept: a rotating function may return a good one next.
    pending.catch(() => {
      if (imported?.key === pending) imported = undefined;
    });
    return pending;
  };

  const authenticator = (method: AuthMethod, value: string | KeyValue | undefined, info: ServerInfo, endpoint: string, context: FetchContext): Authenticator => {
    // RFC 7523 §3 lets aud be the token endpoint or the issuer; the issuer when the client knows it.
    const audience = options.assertionAudience ?? info.issuer ?? endpoint;
    switch (method) {
      case 'client_secret_basic': {
        const credentials = basicCredentials(clientId, value as string);
        context.transport.redact.add(credentials);
        return async () => ({ headers: { authorization: `Basic ${credentials}` }, fields: {} });
      }
      case 'client_secret_post':
        return async () => ({ headers: {}, fields: { client_id: clientId, client_secret: value as string } });
      case 'client_secret_jwt': {
        const hmac: SigningKey = { key: new TextEncoder().encode(value as string), algorithm: hmacAlgorithm(options.algorithm, info), keyId: undefined };
        return async () => assertionFields(clientId, await clientAssertion(clientId, audience, hmac));
      }
      case 'private_key_jwt':
        return async () => assertionFields(clientId, await clientAssertion(clientId, audience, await signingKey(value as KeyValue, info)));
      default:
        // RFC 8705 §2: the TLS handshake authenticates; client_id names the client.
        return async () => ({ headers: {}, fields: { client_id: clientId } });
    }
  };

  return {
    kind: options.authMethod ?? (secret !== undefined ? 'secret' : key !== undefined ? 'private_key_jwt' : 'tls'),
    method: (info) => chooseMethod(options, info),
    run(method, info, endpoint, context, call) {
      if (credential === undefined) return call(authenticator(method, undefined, info, endpoint, context));
      return withCredential(credential, (value) => {
        if (typeof value === 'string') context.addSecret(value);
        return call(authenticator(method, value, info, endpoint, context));
      });
    },
  };
}

function assertionFields(clientId: string, assertion: string): Authentication {
  // RFC 7521 §4.2: client_id is optional with an assertion; servers that look the client up by it get it.
  return { headers: {}, fields: { client_id: clientId, client_assertion_type: ASSERTION_TYPE, client_assertion: assertion } };
}

/**
 * RFC 6749 §2.3.1: the client id and secret are form-urlencoded (Appendix B) before they are
 * joined and base64-encoded, so a secret with `:`, `%` or `+` reaches the server intact.
 */
export function basicCredentials(clientId: string, secret: string): string {
  const encode = (value: string) => new URLSearchParams({ v: value }).toString().slice(2);
  return btoa(`${encode(clientId)}:${encode(secret)}`);
}

const HMAC = ['HS256', 'HS384', 'HS512'];

function hmacAlgorithm(asked: string | undefined, info: ServerInfo): string {
  if (asked !== undefined) {
    if (!HMAC.includes(asked)) throw new ConfigurationError(`${FACTORY}: algorithm ${asked} is not an HMAC algorithm (client_secret_jwt signs with ${HMAC.join(', ')})`);
    return asked;
  }
  return HMAC.find((a) => info.assertionAlgorithms?.includes(a) ?? false) ?? 'HS256';
}

/**
 * The method when none was asked for: `client_secret_basic` for a secret (RFC 8414 §2: the default
 * when a server lists none), or the first secret method the server lists; `private_key_jwt` for a
 * key; `tls_client_auth` for a certificate, or `self_signed_tls_client_auth` when the server lists
 * only that.
 */
function chooseMethod(options: OAuth2ClientOptions, info: ServerInfo): AuthMethod {
  if (options.authMethod !== undefined) return options.authMethod;
  const listed = info.authMethods;
  if (options.privateKey !== undefined) return 'private_key_jwt';
  const fits = (candidates: readonly AuthMethod[], fallback: AuthMethod): AuthMethod => {
    if (listed === undefined || listed.includes(fallback)) return fallback;
    const found = listed.find((m): m is AuthMethod => (candidates as readonly string[]).includes(m));
    if (found !== undefined) return found;
    throw new ConfigurationError(
      `${FACTORY}: the server accepts ${listed.join(', ') || 'no method'} at its token endpoint, and this client's credential works with ${candidates.join(', ')}; give authMethod to try anyway`,
    );
  };
  if (options.clientSecret !== undefined) return fits(SECRET_METHODS, 'client_secret_basic');
  return fits(['tls_client_auth', 'self_signed_tls_client_auth'], 'tls_client_auth');
}
