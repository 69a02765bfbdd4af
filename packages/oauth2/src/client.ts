import { createProviderClient, withCredential, type FetchContext, type Transport } from '@fintoken/core/provider';
import type { Token } from '@fintoken/core';
import { createApiAuthorizer } from './apiAuthorizer.js';
import { createClientAuth } from './clientAuth.js';
import { createDiscovery } from './discovery.js';
import { createDpop } from './dpop.js';
import type { ServerInfo } from './metadata.js';
import { createMtls } from './mtls.js';
import { isTlsMethod, parseOAuth2Options } from './options.js';
import { asked, requestFields, requestKeyPart, sortedEntries, validateRequest } from './request.js';
import { callTokenEndpoint } from './tokenCall.js';
import { gateUntil } from './gate.js';
import type { OAuth2Client, OAuth2ClientOptions, OAuth2TokenRequest } from './types.js';

/**
 * Create a client-credentials client for any OAuth 2.0 authorization server: the server's
 * metadata discovered from `issuer` (RFC 8414, then OpenID Connect Discovery) or a `tokenUrl`;
 * the client authenticated with a secret (Basic, form or `client_secret_jwt`), a private key
 * (`private_key_jwt`, RFC 7523) or a certificate (RFC 8705); tokens optionally DPoP-bound (RFC 9449)
 * or certificate-bound. Tokens are cached, shared by concurrent callers and refreshed ahead of
 * expiry by core; secrets, keys and certificates may rotate while the process runs.
 *
 * @example
 * const bank = createOAuth2Client({
 *   issuer: 'https://auth.bank.example',
 *   clientId: process.env.BANK_CLIENT_ID!,
 *   clientSecret: process.env.BANK_CLIENT_SECRET!,
 *   scope: 'accounts:read',
 *   apiUrl: 'https://api.bank.example',
 * });
 * const response = await bank.fetch('/v1/accounts');
 */
export function createOAuth2Client(input: OAuth2ClientOptions): OAuth2Client {
  const options = parseOAuth2Options(input);
  const provider = options.name ?? 'oauth2';
  const auth = createClientAuth(options);
  const mtls = options.tls === undefined ? undefined : createMtls(options.tls);
  const dpop = options.dpop === undefined ? undefined : createDpop(options.dpop);
  const server = serverOf(options);

  // The client's own parts of every cache key (never a secret): how it authenticates, which
  // DPoP key and certificate its tokens are bound to, and what it asks for by default. The two
  // thumbprints take a digest, so they are awaited before the first request (see gateUntil).
  const base: unknown[] = [auth.kind, options.tokenUrl ?? null, options.scope ?? null, options.resource ?? null, options.audience ?? null, sortedEntries(options.parameters)];
  let identity = JSON.stringify(base);
  const ready =
    dpop === undefined && mtls === undefined
      ? undefined
      : Promise.all([dpop?.thumbprint(), mtls?.thumbprint()]).then(([jkt, x5t]) => {
          identity = JSON.stringify([...base, jkt ?? null, x5t ?? null]);
        });

  const fetchToken = async (request: OAuth2TokenRequest, context: FetchContext): Promise<Token> => {
    const info = await server(context.transport);
    dpop?.useAlgorithms(info.dpopAlgorithms);
    const method = auth.method(info);
    const presentsCertificate = mtls !== undefined || isTlsMethod(method);
    // RFC 8705 §5: a client using mutual TLS calls the mTLS alias of the token endpoint.
    const endpoint = presentsCertificate ? (info.mtlsTokenEndpoint ?? info.tokenEndpoint) : info.tokenEndpoint;
    const fields = requestFields(asked(options, request));
    const call = (transport: Transport) =>
      auth.run(method, info, endpoint, context, (authenticate) => callTokenEndpoint({ endpoint, fields, authenticate, dpop, key: context.key }, transport));
    if (mtls === undefined) return call(context.transport);
    // A certificate that rotates is read again after invalid_client too (outermost, so a rotated
    // secret is tried first).
    return withCredential(mtls.credential, async (tls) => call({ ...context.transport, dispatcher: await mtls.dispatcher(tls) }));
  };

  const client = createProviderClient<OAuth2TokenRequest>({
    provider,
    // Which server: tokens of two servers never share a key.
    environment: options.issuer ?? options.tokenUrl!,
    clientId: options.clientId,
    secrets: typeof options.clientSecret === 'string' ? [options.clientSecret] : [],
    ...(options.apiUrl === undefined ? {} : { apiUrl: options.apiUrl }),
    options,
    unsupported: ['businessId'],
    validate: (request) => validateRequest(provider, request),
    keyExtra: (request) => {
      const own = requestKeyPart(request);
      return own.length === 0 ? identity : `${identity}${JSON.stringify(own)}`;
    },
    fetchToken,
    ...(dpop === undefined && mtls === undefined ? {} : { authorizer: createApiAuthorizer(dpop, mtls) }),
  });
  return ready === undefined ? client : gateUntil(client, ready);
}

/** Where the server's facts come from: discovery of `issuer`, or the `tokenUrl` given. */
function serverOf(options: OAuth2ClientOptions): (transport: Transport) => Promise<ServerInfo> {
  if (options.tokenUrl !== undefined) {
    const info: ServerInfo = {
      issuer: options.issuer,
      tokenEndpoint: options.tokenUrl,
      mtlsTokenEndpoint: undefined,
      authMethods: undefined,
      assertionAlgorithms: undefined,
      dpopAlgorithms: undefined,
    };
    return () => Promise.resolve(info);
  }
  const discovery = createDiscovery(options.issuer!, options.allowInsecureHttp === true);
  return (transport) => discovery.info(transport);
}
