import type { CommonOptions, CredentialInput, ProviderClient } from '@fintoken/core/provider';
import type { TokenRequest } from '@fintoken/core';
import type { CryptoKey, JWK, KeyObject } from 'jose';

/** How the client authenticates at the token endpoint (RFC 6749 §2.3, RFC 7523 §2.2, RFC 8705 §2). */
export type AuthMethod =
  | 'client_secret_basic'
  | 'client_secret_post'
  | 'client_secret_jwt'
  | 'private_key_jwt'
  | 'tls_client_auth'
  | 'self_signed_tls_client_auth';

/**
 * A private key: a WebCrypto `CryptoKey`, a Node `KeyObject`, a private JWK, or a PKCS#8 PEM
 * (`-----BEGIN PRIVATE KEY-----`).
 */
export type PrivateKey = CryptoKey | KeyObject | JWK | string;

/** A private key with the `kid` the server knows it by: what a rotating `privateKey` function returns. */
export interface PrivateKeyEntry {
  key: PrivateKey;
  /** The JWS `kid` header; a JWK's own `kid` otherwise. */
  keyId?: string;
  /** The JWS algorithm; inferred from the key (and the server's metadata) otherwise. */
  algorithm?: string;
}

/** The client certificate for mutual TLS (RFC 8705), PEM. Node only. */
export interface TlsCredentials {
  /** The client certificate (with its chain, leaf first). */
  cert: string | Uint8Array;
  /** Its private key. */
  key: string | Uint8Array;
  /** Passphrase of an encrypted `key`. */
  passphrase?: string;
  /** CA certificates to trust for the server instead of the system's. */
  ca?: string | Uint8Array | Array<string | Uint8Array>;
}

/** A DPoP key pair (RFC 9449): every token is bound to it, and every request proves it. */
export interface DpopOptions {
  privateKey: CryptoKey | KeyObject | JWK;
  /** Required unless `privateKey` is a JWK (its public members are the public key). */
  publicKey?: CryptoKey | KeyObject | JWK;
  /** The JWS algorithm of the proofs; inferred from the key (and the server's metadata) otherwise. */
  algorithm?: string;
}

/** A string or a list of strings; a list repeats the form field (RFC 8707 §2 `resource`). */
export type ListOption = string | string[];

/** Extra form fields of the token request, e.g. `{ organization: 'acme' }`. */
export type TokenParameters = Record<string, string | string[]>;

/** Options of `createOAuth2Client`. */
export interface OAuth2ClientOptions extends CommonOptions {
  /** Issuer identifier: its metadata is discovered (RFC 8414, then OpenID Connect Discovery). */
  issuer?: string;
  /** Token endpoint URL: no discovery. With `issuer` too, `issuer` only names the assertions' audience. */
  tokenUrl?: string;
  clientId: string;
  /** For `client_secret_basic` (default), `client_secret_post` or `client_secret_jwt`. May be a function (rotation). */
  clientSecret?: CredentialInput<string>;
  /** For `private_key_jwt`. May be a function (rotation), returning a key or a `PrivateKeyEntry`. */
  privateKey?: CredentialInput<PrivateKey | PrivateKeyEntry>;
  /** `kid` of `privateKey`. */
  keyId?: string;
  /** JWS algorithm of client assertions (`HS256` for `client_secret_jwt`; inferred from `privateKey`). */
  algorithm?: string;
  /** Chosen from the credential (and the server's metadata) when left out. */
  authMethod?: AuthMethod;
  /** `aud` of client assertions (RFC 7523 §3). Default: the issuer when known, else the token endpoint URL. */
  assertionAudience?: string;
  /** Client certificate for mutual TLS (Node only): authentication (`tls_client_auth`...) or certificate-bound tokens. May be a function. */
  tls?: CredentialInput<TlsCredentials>;
  /** DPoP-bound tokens (RFC 9449). */
  dpop?: DpopOptions;
  scope?: ListOption;
  /** RFC 8707 resource indicators. */
  resource?: ListOption;
  /** The `audience` form field some servers (Auth0) ask for. */
  audience?: ListOption;
  /** Extra form fields of every token request. */
  parameters?: TokenParameters;
  /** Origin (plus optional path prefix) of the API, for `client.fetch(path)`. */
  apiUrl?: string;
  /** Accept plain-http URLs for non-loopback hosts (issuer, token endpoint, API). Never in production. */
  allowInsecureHttp?: boolean;
  /** What events and errors call this client. Default `oauth2`. */
  name?: string;
}

/** What `getToken` takes: scope, resource, audience and extra fields override the client's, plus cache control. */
export interface OAuth2TokenRequest extends Pick<TokenRequest, 'scope' | 'resource' | 'forceRefresh' | 'rejectedToken' | 'fresh' | 'signal'> {
  audience?: ListOption;
  parameters?: TokenParameters;
}

/** A client for one OAuth 2.0 client-credentials client: core's `ProviderClient`. */
export type OAuth2Client = ProviderClient<OAuth2TokenRequest>;
