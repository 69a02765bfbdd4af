import { log } from './quiet.js';
import { randomBytes, X509Certificate, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import Provider, { errors } from 'oidc-provider';
import type { Pki } from './pki.js';

// panva's oidc-provider (OpenID Certified) as the authorization server the client is tested
// against: fintoken wrote none of its checks.

export const SCOPES = ['api:read', 'api:write'];
/** Resource indicators the server knows (RFC 8707): each gets a JWT access token with it as `aud`. */
export const RESOURCE_PREFIX = 'https://api.fintoken.test/';

/** The secrets of the registered clients (a Basic one with every character form encoding changes). */
export const SECRETS = {
  basic: 'basic+secret/with:special%chars&=x y',
  post: 'post-secret-3c9b1f6e2d',
  jwt: 'client-secret-jwt-shared-secret-that-is-long-enough-0123456789',
  dpop: 'dpop-client-secret-77ab',
  bound: 'bound-client-secret-5d1e',
  introspector: 'introspector-secret-9f0c',
};

export interface TokenRequestRecord {
  /** The parsed form. */
  body: Record<string, string | string[]>;
  headers: IncomingMessage['headers'];
  status: number;
  /** Over the HTTPS (mTLS) listener. */
  secure: boolean;
}

export interface AuthorizationServer {
  issuer: string;
  /** The mTLS listener's origin (`mtls_endpoint_aliases`). */
  mtlsUrl: string;
  provider: Provider;
  /** Every token endpoint request, in order. */
  tokenRequests: TokenRequestRecord[];
  /** Every discovery request's path. */
  discoveryRequests: string[];
  /** The private_key_jwt client's keys (kid -> private key in several forms). */
  keys: ReturnType<typeof makeKeys>;
  /** Replace a dynamic client's registration (its secret, its certificates) while the client runs. */
  register(metadata: Record<string, unknown>): Promise<void>;
  introspect(token: string): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

function makeKeys() {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const rsaNext = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const ed = generateKeyPairSync('ed25519');
  return { rsa, rsaNext, ec, ed };
}

const publicJwk = (key: ReturnType<typeof createPublicKey>, kid: string) => ({ ...key.export({ format: 'jwk' }), kid });

/** The self-signed client's registered certificate, as RFC 8705 §2.2 has it: a JWK with x5c. */
export function certificateJwk(cert: string) {
  const x509 = new X509Certificate(cert);
  return { ...x509.publicKey.export({ format: 'jwk' }), x5c: [x509.raw.toString('base64')] };
}

const base = { grant_types: ['client_credentials'], redirect_uris: [], response_types: [], scope: SCOPES.join(' ') };

export interface ServerOptions {
  pki: Pki;
  /** Mount the provider under this path: the issuer then has a path (RFC 8414 §3.1). */
  path?: string;
}

export async function startAuthorizationServer({ pki, path = '' }: ServerOptions): Promise<AuthorizationServer> {
  const http: Server = createServer();
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const https = createHttpsServer({ cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert, requestCert: true, rejectUnauthorized: false });
  await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(http.address() as AddressInfo).port}${path}`;
  const mtlsUrl = `https://127.0.0.1:${(https.address() as AddressInfo).port}`;
  const keys = makeKeys();
  const signing = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const peer = (ctx: { socket: unknown }) => {
    const socket = ctx.socket as Partial<TLSSocket>;
    return typeof socket.getPeerX509Certificate === 'function' ? socket.getPeerX509Certificate() : undefined;
  };

  const provider = new Provider(issuer, {
    jwks: { keys: [{ ...signing.privateKey.export({ format: 'jwk' }), kid: 'server-signing', alg: 'RS256', use: 'sig' }] },
    scopes: SCOPES,
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt', 'tls_client_auth', 'self_signed_tls_client_auth'],
    clients: [
      { ...base, client_id: 'basic', client_secret: SECRETS.basic, token_endpoint_auth_method: 'client_secret_basic' },
      { ...base, client_id: 'post', client_secret: SECRETS.post, token_endpoint_auth_method: 'client_secret_post' },
      { ...base, client_id: 'jwt', client_secret: SECRETS.jwt, token_endpoint_auth_method: 'client_secret_jwt' },
      {
        ...base,
        client_id: 'pkjwt',
        token_endpoint_auth_method: 'private_key_jwt',
        jwks: {
          keys: [
            publicJwk(keys.rsa.publicKey, 'rsa-1'),
            publicJwk(keys.rsaNext.publicKey, 'rsa-2'),
            publicJwk(keys.ec.publicKey, 'ec-1'),
            publicJwk(keys.ed.publicKey, 'ed-1'),
          ],
        },
      },
      {
        ...base,
        client_id: 'mtls',
        token_endpoint_auth_method: 'tls_client_auth',
        tls_client_auth_subject_dn: 'CN=fintoken-client',
        tls_client_certificate_bound_access_tokens: true,
      },
      { ...base, client_id: 'bound', client_secret: SECRETS.bound, token_endpoint_auth_method: 'client_secret_basic', tls_client_certificate_bound_access_tokens: true },
      { ...base, client_id: 'dpop', client_secret: SECRETS.dpop, token_endpoint_auth_method: 'client_secret_basic', dpop_bound_access_tokens: true },
      { ...base, client_id: 'introspector', client_secret: SECRETS.introspector, token_endpoint_auth_method: 'client_secret_basic' },
    ],
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: { enabled: true },
      // RFC 9449 §8: every proof must carry a nonce the server issued.
      dPoP: { enabled: true, nonceSecret: randomBytes(32), requireNonce: () => true },
      mTLS: {
        enabled: true,
        certificateBoundAccessTokens: true,
        tlsClientAuth: true,
        selfSignedTlsClientAuth: true,
        getCertificate: (ctx) => peer(ctx),
        certificateAuthorized: (ctx) => (ctx.socket as TLSSocket).authorized === true,
        certificateSubjectMatches: (ctx, property, expected) => property === 'tls_client_auth_subject_dn' && peer(ctx)?.subject === expected,
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => undefined,
        useGrantedResource: () => false,
        getResourceServerInfo: (_ctx, indicator) => {
          if (!indicator.startsWith(RESOURCE_PREFIX)) throw new errors.InvalidTarget();
          return { scope: SCOPES.join(' '), audience: indicator, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } } };
        },
      },
    },
    ttl: { ClientCredentials: 600 },
  });

  const tokenRequests: TokenRequestRecord[] = [];
  const discoveryRequests: string[] = [];
  provider.use(async (ctx, next) => {
    if (ctx.path.includes('/.well-known/')) discoveryRequests.push(ctx.originalUrl);
    await next();
    if (ctx.oidc?.route === 'token') {
      tokenRequests.push({ body: { ...(ctx.oidc.body as Record<string, string | string[]>) }, headers: ctx.headers, status: ctx.status, secure: ctx.secure });
    }
    // RFC 8705 §5: the endpoints a client using mutual TLS calls, on the listener that asks for certificates.
    if (ctx.oidc?.route === 'discovery' && typeof ctx.body === 'object' && ctx.body !== null) {
      (ctx.body as Record<string, unknown>).mtls_endpoint_aliases = { token_endpoint: `${mtlsUrl}${path}/token` };
    }
  });
  provider.on('server_error', (_ctx, error) => log.warn('oidc-provider server_error', error));

  const callback = provider.callback();
  const route = (req: IncomingMessage, res: ServerResponse) => {
    const original = req.url ?? '/';
    if (path !== '' && !original.startsWith(`${path}/`)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not here');
      return;
    }
    (req as IncomingMessage & { originalUrl?: string }).originalUrl = original;
    req.url = original.slice(path.length);
    void callback(req, res);
  };
  http.on('request', route);
  https.on('request', route);

  const close = (server: Server) =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });

  return {
    issuer,
    mtlsUrl,
    provider,
    tokenRequests,
    discoveryRequests,
    keys,
    register: async (metadata) => {
      // The Client model's adapter (the provider's in-memory one) is where dynamic registrations live.
      const adapter = (provider.Client as unknown as { adapter: { upsert(id: string, payload: object): Promise<void> } }).adapter;
      await adapter.upsert(String(metadata.client_id), { ...base, ...metadata });
    },
    async introspect(token) {
      const response = await fetch(`${issuer}/token/introspection`, {
        method: 'POST',
        headers: { authorization: `Basic ${btoa(`introspector:${SECRETS.introspector}`)}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token }),
      });
      return (await response.json()) as Record<string, unknown>;
    },
    close: async () => {
      await Promise.all([close(http), close(https as unknown as Server)]);
    },
  };
}
