import { createCredential, type Credential, type CredentialInput } from '@fintoken/core/provider';
import { base64url } from 'jose';
import type { Dispatcher } from 'undici';
import { FACTORY } from './options.js';
import type { TlsCredentials } from './types.js';

/** The client certificate of one client, and the undici Agent that presents it (RFC 8705). */
export interface Mtls {
  credential: Credential<TlsCredentials>;
  /** The Agent for these credentials: made on first need, replaced (the old one closed) when they rotate. */
  dispatcher(value: TlsCredentials): Promise<Dispatcher>;
  /** The Agent for the current credentials, for API calls: a certificate-bound token only works over it. */
  current(): Promise<Dispatcher>;
  /** `x5t#S256` of a fixed certificate (RFC 8705 §3.1), undefined for a rotating one. */
  thumbprint(): Promise<string | undefined>;
}

const isPem = (value: unknown) => typeof value === 'string' || value instanceof Uint8Array;

function isTlsCredentials(value: unknown): value is TlsCredentials {
  if (typeof value !== 'object' || value === null) return false;
  const { cert, key } = value as Partial<TlsCredentials>;
  return isPem(cert) && isPem(key);
}

export function createMtls(input: CredentialInput<TlsCredentials>): Mtls {
  const credential = createCredential(input, { name: 'tls', factory: FACTORY, accept: isTlsCredentials, expected: 'an object with cert and key (PEM)' });
  let current: { value: TlsCredentials; agent: Promise<Dispatcher> } | undefined;

  const dispatcher = (value: TlsCredentials): Promise<Dispatcher> => {
    if (current?.value === value) return current.agent;
    const previous = current;
    // undici is loaded only by clients that present a certificate: no other client pays for it.
    const agent = import('undici').then(
      ({ Agent }) =>
        new Agent({
          connect: { timeout: 10_000, cert: value.cert as string, key: value.key as string, passphrase: value.passphrase, ca: value.ca as string | undefined },
          keepAliveTimeout: 10_000,
          keepAliveMaxTimeout: 60_000,
        }),
    );
    current = { value, agent };
    // Requests still running on the old certificate finish; then its connections close.
    void previous?.agent.then((old) => old.close()).catch(() => undefined);
    return agent;
  };

  return {
    credential,
    dispatcher,
    current: async () => dispatcher(await credential.current()),
    thumbprint: async () => (credential.rotates ? undefined : certificateThumbprint((await credential.current()).cert)),
  };
}

/** RFC 8705 §3.1: base64url of the SHA-256 of the DER of the (leaf) certificate. */
export async function certificateThumbprint(cert: string | Uint8Array): Promise<string | undefined> {
  const pem = typeof cert === 'string' ? cert : new TextDecoder().decode(cert);
  const match = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----/.exec(pem);
  if (match === null) return undefined;
  const der = Uint8Array.from(atob(match[1]!.replace(/\s+/g, '')), (c) => c.charCodeAt(0));
  return base64url.encode(new Uint8Array(await crypto.subtle.digest('SHA-256', der)));
}
