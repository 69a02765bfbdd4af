import { authenticateBearer, describeBearerFailure } from '../bearer.js';
import { clientCredentialsRequest } from '../clientCredentials.js';
import { json, type Reply } from '../http.js';
import type { TokenIssuer } from '../jwt.js';
import { bearerError, oauthError, resourceError, tokenEndpointError } from '../oauthError.js';
import { isUuid } from '../random.js';
import type { Mount, RequestContext } from '../router.js';
import type { SandboxBusinesses, SandboxCredentials } from '../types.js';
import { jwksRoute } from '../wellKnown.js';

export interface ThredfiOptions {
  issuer: TokenIssuer;
  credentials: SandboxCredentials['thredfi'];
  businesses: SandboxBusinesses['thredfi'];
  /** Partner token lifetime, seconds (seed: "Partner token is long-lived (typically 24 hours)"). */
  partnerTtl: number;
  /** Business token lifetime, seconds (seed example: expires_in 3600). */
  businessTtl: number;
  baseUrl: string;
}

const realm = 'thredfi';

/**
 * Thredfi: partner token (Basic partner_uuid:api_key), business-scoped token (partner Bearer),
 * and a business endpoint; every error is an OAuth2ErrorResponse and every documented path ends
 * in a slash. Seed: thredfi-business-scoped-token.
 */
export function thredfiMounts(o: ThredfiOptions): Mount[] {
  const { issuer, credentials } = o;
  const owned = new Set(o.businesses.owned);

  async function token(ctx: RequestContext): Promise<Reply> {
    const request = await clientCredentialsRequest(ctx, {
      method: 'basic',
      client: { id: credentials.partnerId, secret: credentials.apiKey },
      realm,
    });
    if (!request.ok) return request.reply;
    const signed = await issuer.sign(
      {
        sub: credentials.partnerId,
        client_id: credentials.partnerId,
        partner_id: credentials.partnerId,
        scope: 'partner',
        aud: o.baseUrl,
      },
      o.partnerTtl,
    );
    return json(200, { access_token: signed.token, token_type: 'Bearer', expires_in: o.partnerTtl });
  }

  async function businessToken(ctx: RequestContext): Promise<Reply> {
    const result = await authenticateBearer(ctx.req, issuer);
    if (!result.ok) return bearerError(401, describeBearerFailure(result.reason), realm);
    // seed: "Requires a valid partner (unscoped) Bearer token".
    if (result.claims.business_id !== undefined || result.claims.partner_id !== credentials.partnerId) {
      return bearerError(401, 'A partner (unscoped) token is required', realm);
    }
    const businessId = ctx.params.businessId as string;
    // The seed types business_id as a uuid; ownership decides the rest ("validated via partner ownership").
    if (!isUuid(businessId) || !owned.has(businessId.toLowerCase())) {
      return oauthError(404, 'not_found', `Business ${businessId} not found`);
    }
    const signed = await issuer.sign(
      {
        sub: credentials.partnerId,
        client_id: credentials.partnerId,
        partner_id: credentials.partnerId,
        business_id: businessId.toLowerCase(),
        scope: 'business_access',
        aud: o.baseUrl,
      },
      o.businessTtl,
    );
    return json(200, {
      access_token: signed.token,
      token_type: 'Bearer',
      expires_in: o.businessTtl,
      scope: 'business_access',
      business_id: businessId.toLowerCase(),
    });
  }

  async function customers(ctx: RequestContext): Promise<Reply> {
    const result = await authenticateBearer(ctx.req, issuer);
    if (!result.ok) return bearerError(401, describeBearerFailure(result.reason), realm);
    const businessId = ctx.params.businessId as string;
    // seed: a business token is "only valid for endpoints whose URL contains that business_id".
    if (result.claims.business_id !== businessId.toLowerCase()) {
      return bearerError(403, `A business-scoped token for ${businessId} is required`, realm);
    }
    const results = [1, 2].map((n) => ({ id: `${businessId.slice(0, 8)}-customer-${n}`, name: `Sandbox Customer ${n}` }));
    return json(200, { results, count: results.length });
  }

  return [
    {
      prefix: '/thredfi',
      error: resourceError,
      routes: [
        {
          method: 'POST',
          path: '/v1/platform/oauth2/token/',
          endpoint: 'thredfi.token',
          noStore: true,
          error: tokenEndpointError,
          handle: token,
        },
        {
          method: 'POST',
          path: '/v1/platform/:businessId/oauth2/token/',
          endpoint: 'thredfi.businessToken',
          noStore: true,
          handle: businessToken,
        },
        {
          method: 'GET',
          path: '/v1/platform/businesses/:businessId/customers/',
          endpoint: 'thredfi.customers',
          handle: customers,
        },
        jwksRoute('/.well-known/jwks.json', issuer),
      ],
    },
  ];
}
