import type { ApiRequestLog } from '../apiRequestLog.js';
import { authenticateBearer, describeBearerFailure } from '../bearer.js';
import { clientCredentialsRequest } from '../clientCredentials.js';
import { json, jsonType, mediaType, parseJson, type Reply } from '../http.js';
import type { TokenIssuer } from '../jwt.js';
import { oauthError, tokenEndpointError } from '../oauthError.js';
import type { Mount, RequestContext } from '../router.js';
import type { SandboxBusinesses, SandboxCredentials } from '../types.js';
import { jwksRoute } from '../wellKnown.js';
import { layerApiError, layerApiErrorForStatus } from './layerApiError.js';
import { layerReadRoutes } from './layerReads.js';

export interface LayerOptions {
  issuer: TokenIssuer;
  credentials: SandboxCredentials['layer'];
  businesses: SandboxBusinesses['layer'];
  /** Client token lifetime, seconds (seed: "Access tokens expire after 1 hour"). */
  ttl: number;
  /** The environment's OAuth scope the auth server requires (seed: "Environments"). */
  scope: string;
  /** The API origin, used as the tokens' audience. */
  apiUrl: string;
  /** The sandbox clock (ms) and a seeded UUID maker, for the component reads (layerReads.ts). */
  now(): number;
  uuid(label: string): string;
  /** Where the component reads log each request's token expiry. */
  requests: ApiRequestLog;
}

// seed: "session_duration is optional ... It defaults to 3600 (1 hour)."
const defaultSessionDuration = 3600;

type Authorized = { ok: true; businessId: string | undefined } | { ok: false; reply: Reply };

/**
 * Layer: the auth server (`/layer/oauth2/token`, RFC 6749 errors, since the seed documents none)
 * and the API (`/whoami`, business auth tokens, the reads Layer's components make, ApiError
 * bodies). Seeds: layer-authentication, layer-business-auth-token.
 */
export function layerMounts(o: LayerOptions): Mount[] {
  const { issuer, credentials, businesses } = o;
  const active = new Set(businesses.active);

  async function token(ctx: RequestContext): Promise<Reply> {
    const request = await clientCredentialsRequest(ctx, {
      method: 'basic',
      client: { id: credentials.clientId, secret: credentials.clientSecret },
      realm: 'layer',
    });
    if (!request.ok) return request.reply;
    // seed: "In the request body, include the grant_type, scope, and client_id."
    if (!request.form.has('client_id')) return oauthError(400, 'invalid_request', 'Missing form parameter: client_id');
    const scope = request.form.get('scope');
    if (!scope) return oauthError(400, 'invalid_request', 'Missing form parameter: scope');
    if (scope !== o.scope) return oauthError(400, 'invalid_scope', `Scope ${scope} is not allowed; use ${o.scope}`);
    const signed = await issuer.sign(
      { sub: credentials.clientId, client_id: credentials.clientId, scope, aud: o.apiUrl },
      o.ttl,
    );
    return json(200, { access_token: signed.token, expires_in: o.ttl, token_type: 'Bearer' });
  }

  /** Verifies the Bearer; a business token carries business_id. */
  async function authorize(ctx: RequestContext): Promise<Authorized> {
    const result = await authenticateBearer(ctx.req, issuer);
    if (!result.ok) return { ok: false, reply: layerApiError(401, 'AuthFailure', describeBearerFailure(result.reason)) };
    const businessId = result.claims.business_id;
    return { ok: true, businessId: typeof businessId === 'string' ? businessId : undefined };
  }

  function unknownBusiness(businessId: string): Reply | undefined {
    if (active.has(businessId)) return undefined;
    // seed: 404 "indicates the business id is invalid or the business has been archived".
    if (businessId === businesses.archived) {
      return layerApiError(404, 'ResourceArchived', `Business ${businessId} has been archived`, 'ResourceArchived');
    }
    return layerApiError(404, 'ResourceNotFound', `Business ${businessId} not found`, 'SpecifiedIdNotFound');
  }

  async function whoami(ctx: RequestContext): Promise<Reply> {
    const auth = await authorize(ctx);
    if (!auth.ok) return auth.reply;
    if (auth.businessId !== undefined) return layerApiError(403, 'AuthFailure', 'whoami requires a client token');
    return json(200, { data: { type: 'whoami', clientName: credentials.clientName, clientId: credentials.clientId } });
  }

  async function sessionDuration(ctx: RequestContext): Promise<number | Reply> {
    // seed: "Content-Type must be set to application/json."
    if (mediaType(ctx.req) !== jsonType) {
      return layerApiError(400, 'JsonSerialization', 'Content-Type must be application/json', 'InvalidPayload');
    }
    const raw = await ctx.body();
    // The request body is optional in the seed; an empty JSON request means the defaults.
    const body = raw.length === 0 ? {} : parseJson(raw);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return layerApiError(400, 'JsonSerialization', 'Request body must be a JSON object', 'InvalidPayload');
    }
    const value = (body as { session_duration?: unknown }).session_duration;
    if (value === undefined || value === null) return defaultSessionDuration;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
      return layerApiError(400, 'InvalidParameters', 'session_duration must be a positive integer', 'InvalidPayload');
    }
    return value;
  }

  async function businessToken(ctx: RequestContext): Promise<Reply> {
    const auth = await authorize(ctx);
    if (!auth.ok) return auth.reply;
    if (auth.businessId !== undefined) {
      return layerApiError(403, 'AuthFailure', 'A business-scoped token cannot create business auth tokens');
    }
    const duration = await sessionDuration(ctx);
    if (typeof duration !== 'number') return duration;
    const businessId = ctx.params.businessId as string;
    const missing = unknownBusiness(businessId);
    if (missing) return missing;
    const signed = await issuer.sign(
      {
        sub: credentials.clientId,
        client_id: credentials.clientId,
        business_id: businessId,
        scope: o.scope,
        aud: o.apiUrl,
      },
      duration,
    );
    // seed: "Note the return type is an AuthToken object rather than a standard Layer API response object."
    return json(200, { access_token: signed.token, expires_in: duration, token_type: 'Bearer' });
  }

  return [
    {
      prefix: '/layer/oauth2',
      error: tokenEndpointError,
      routes: [{ method: 'POST', path: '/token', endpoint: 'layer.token', noStore: true, handle: token }],
    },
    {
      prefix: '/layer',
      error: layerApiErrorForStatus,
      routes: [
        { method: 'GET', path: '/whoami', endpoint: 'layer.whoami', handle: whoami },
        {
          method: 'POST',
          path: '/v1/businesses/:businessId/auth-token',
          endpoint: 'layer.businessToken',
          noStore: true,
          handle: businessToken,
        },
        ...layerReadRoutes({ issuer, now: o.now, requests: o.requests, uuid: o.uuid, unknownBusiness }),
        jwksRoute('/.well-known/jwks.json', issuer),
      ],
    },
  ];
}
