import { authenticateBearer, describeBearerFailure } from '../bearer.js';
import { clientCredentialsRequest } from '../clientCredentials.js';
import { json, type Reply } from '../http.js';
import type { TokenIssuer } from '../jwt.js';
import { bearerError, oauthError, resourceError, tokenEndpointError } from '../oauthError.js';
import type { Mount, RequestContext } from '../router.js';
import type { SandboxCredentials } from '../types.js';

export interface Layer1Options {
  issuer: TokenIssuer;
  credentials: SandboxCredentials['layer1'];
  /** Token lifetime, seconds (seed: expires_in 300). */
  ttl: number;
  /** Origin of the realm-less API (the emulator-only /api/v1/tenants), used as audience. */
  apiUrl: string;
  /** Service-account user id Keycloak puts in `sub`. */
  serviceAccountId: string;
}

// The seed's example response, with its elided scopes filled in.
const grantedScope = 'tenants:view transactions:edit microprofile-jwt networks:view';
const realmPath = '/realms/:realm';

/**
 * Layer1: a Keycloak realm's token endpoint, certs and discovery document, plus an emulator-only
 * protected API. Seed: layer1-authentication (which leaves the URLs blank).
 */
export function layer1Mounts(o: Layer1Options): Mount[] {
  const { issuer, credentials } = o;
  const realmMissing = (ctx: RequestContext): Reply | undefined =>
    ctx.params.realm === credentials.realm ? undefined : oauthError(404, 'invalid_request', 'Realm does not exist');

  async function token(ctx: RequestContext): Promise<Reply> {
    const missing = realmMissing(ctx);
    if (missing) return missing;
    const request = await clientCredentialsRequest(ctx, {
      method: 'basic-or-post',
      client: { id: credentials.clientId, secret: credentials.clientSecret },
      realm: credentials.realm,
    });
    if (!request.ok) return request.reply;
    const signed = await issuer.sign(
      {
        sub: o.serviceAccountId,
        aud: o.apiUrl,
        typ: 'Bearer',
        azp: credentials.clientId,
        client_id: credentials.clientId,
        scope: grantedScope,
      },
      o.ttl,
    );
    return json(200, {
      access_token: signed.token,
      expires_in: o.ttl,
      refresh_expires_in: 0,
      token_type: 'Bearer',
      'not-before-policy': 0,
      scope: grantedScope,
    });
  }

  const certs = (ctx: RequestContext): Reply => realmMissing(ctx) ?? json(200, issuer.jwks);

  const discovery = (ctx: RequestContext): Reply =>
    realmMissing(ctx) ??
    json(200, {
      issuer: issuer.issuer,
      token_endpoint: `${issuer.issuer}/protocol/openid-connect/token`,
      jwks_uri: `${issuer.issuer}/protocol/openid-connect/certs`,
      grant_types_supported: ['client_credentials'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      id_token_signing_alg_values_supported: ['ES256'],
    });

  // Emulator-only: any valid Layer1 token may list tenants.
  async function tenants(ctx: RequestContext): Promise<Reply> {
    const result = await authenticateBearer(ctx.req, issuer);
    if (!result.ok) return bearerError(401, describeBearerFailure(result.reason), credentials.realm);
    return json(200, { data: [{ id: 'tenant-sandbox', name: 'Sandbox Tenant' }] });
  }

  return [
    {
      prefix: '/layer1',
      error: resourceError,
      routes: [
        {
          method: 'POST',
          path: `${realmPath}/protocol/openid-connect/token`,
          endpoint: 'layer1.token',
          noStore: true,
          error: tokenEndpointError,
          handle: token,
        },
        { method: 'GET', path: `${realmPath}/protocol/openid-connect/certs`, handle: certs },
        { method: 'GET', path: `${realmPath}/.well-known/openid-configuration`, handle: discovery },
        { method: 'GET', path: '/api/v1/tenants', endpoint: 'layer1.api', handle: tenants },
      ],
    },
  ];
}
