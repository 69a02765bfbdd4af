import { decodeJwt } from 'jose';
import type { ApiRequestLog } from '../apiRequestLog.js';
import { authenticateBearer, describeBearerFailure } from '../bearer.js';
import type { EndpointName } from '../endpoints.js';
import { json, parseAuthorization, type Reply } from '../http.js';
import type { TokenIssuer } from '../jwt.js';
import type { RequestContext, Route } from '../router.js';
import { layerApiError } from './layerApiError.js';
import {
  accountingConfigBody,
  bankAccountsBody,
  bookkeepingStatusBody,
  businessBody,
  ledgerBalancesBody,
} from './layerReadData.js';

export interface LayerReadOptions {
  issuer: TokenIssuer;
  /** The sandbox clock, so "live on arrival" uses the same time as token verification. */
  now(): number;
  requests: ApiRequestLog;
  uuid(label: string): string;
  /** A 404 ApiError for an unknown or archived business; undefined for an active one. */
  unknownBusiness(businessId: string): Reply | undefined;
}

type Claims = { exp: number | null; id: string | null; businessId: string | null };

const none: Claims = { exp: null, id: null, businessId: null };
const stringOrNull = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** The claims of whatever token came, unverified: the log reports an expired token's exp too. */
function peekClaims(authorization: string | undefined): Claims {
  const auth = parseAuthorization(authorization);
  if (auth?.scheme !== 'bearer') return none;
  try {
    const { exp, jti, business_id: businessId } = decodeJwt(auth.token);
    return { exp: typeof exp === 'number' ? exp : null, id: stringOrNull(jti), businessId: stringOrNull(businessId) };
  } catch {
    return none;
  }
}

/**
 * The Layer API reads that Layer's React components make first (`GET /v1/businesses/{id}` and
 * the business's bank accounts, bookkeeping status, accounting config and ledger balances).
 * Each takes a client token or a business token for that business, like the real API; each
 * request is logged with its token's expiry, so tests can prove the page only sent live tokens.
 */
export function layerReadRoutes(o: LayerReadOptions): Route[] {
  async function authorize(ctx: RequestContext): Promise<Reply | undefined> {
    const result = await authenticateBearer(ctx.req, o.issuer);
    if (!result.ok) return layerApiError(401, 'AuthFailure', describeBearerFailure(result.reason));
    const scoped = result.claims.business_id;
    const businessId = ctx.params.businessId as string;
    // RFC 6750 §3.1: a valid token without the right to this resource is insufficient_scope, 403.
    if (typeof scoped === 'string' && scoped !== businessId) {
      return layerApiError(403, 'AuthFailure', `Token is scoped to another business than ${businessId}`);
    }
    return o.unknownBusiness(businessId);
  }

  function read(endpoint: EndpointName, path: string, body: (businessId: string) => unknown): Route {
    return {
      method: 'GET',
      path,
      endpoint,
      cors: true,
      async handle(ctx) {
        const receivedAt = o.now();
        const refused = await authorize(ctx);
        const reply = refused ?? json(200, body(ctx.params.businessId as string));
        const { exp, id, businessId } = peekClaims(ctx.req.headers.authorization);
        o.requests.record({
          endpoint,
          method: 'GET',
          path: (ctx.req.url ?? '').split('?')[0] as string,
          status: reply.status,
          receivedAt,
          tokenExp: exp,
          tokenId: id,
          tokenBusinessId: businessId,
          // Refusals for scope or an unknown business still came with a live token.
          live: reply.status !== 401 && exp !== null && exp * 1000 > receivedAt,
        });
        return reply;
      },
    };
  }

  const ledger = ledgerBalancesBody(o.uuid);
  return [
    read('layer.business', '/v1/businesses/:businessId', businessBody),
    read('layer.bankAccounts', '/v1/businesses/:businessId/bank-accounts', () => bankAccountsBody),
    read('layer.bookkeepingStatus', '/v1/businesses/:businessId/bookkeeping/status', () => bookkeepingStatusBody),
    read('layer.accountingConfig', '/v1/businesses/:businessId/accounting-config', (id) =>
      accountingConfigBody(o.uuid(`layer.accountingConfig.${id}`)),
    ),
    read('layer.ledgerBalances', '/v1/businesses/:businessId/ledger/balances', () => ledger),
  ];
}
