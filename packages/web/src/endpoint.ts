import { REJECTED_TOKEN_HEADER, remainingSeconds, tokenFingerprint, type Clock, type TokenClient, type TokenRequest } from '@fintoken/core';
import { identityOf, isSafeExtras, MALFORMED, type AuthorizedIdentity, type AuthorizeResult } from './authorized.js';
import { browserTokenFields } from './browserPolicy.js';
import { checkAllowedOrigins, createSiteCheck } from './crossSite.js';
import { errorResponse, errorResult, jsonResult, type EndpointResult } from './errorResponse.js';
import { mapError } from './mapError.js';
import { createRateLimiter } from './rateLimit.js';
import { checkOptions, fn, optionalBoolean, optionalFn, optionalObject, optionalPositiveInteger, positiveInteger, tokenClient } from './validate.js';

export type { AuthorizedIdentity, AuthorizeResult };

/**
 * Extra fields for the token request (e.g. `scope`). Neither the business id nor the fields that
 * steer the cache (`forceRefresh`, `rejectedToken`, `fresh`, `signal`) are among them: naming
 * one is a type error here and a 500 at run time, with nothing minted.
 */
export type TokenRequestExtras = Omit<TokenRequest, 'businessId' | 'forceRefresh' | 'rejectedToken' | 'fresh' | 'signal'> & {
  businessId?: never;
  forceRefresh?: never;
  rejectedToken?: never;
  fresh?: never;
  signal?: never;
} & Record<string, unknown>;

/** `R` is the framework's request: Express's `req`, or the Fetch API's `Request`. */
export interface RateLimitOptions<R> {
  /** Length of one counting window, ms. */
  windowMs: number;
  /** Requests allowed per key and window; the next ones get 429 with `Retry-After`. */
  max: number;
  /**
   * Who is counted. Default: the authorized identity, `subject` when `authorize` names the user,
   * else the business id. It runs after `authorize` and receives its result; when it returns
   * undefined (or an empty string) the default applies: never the client address, never one
   * bucket for everybody.
   */
  key?: (req: R, authorized: AuthorizedIdentity) => string | undefined;
  /** Most keys remembered at once (oldest forgotten first). Default 10,000. */
  maxKeys?: number;
}

export interface TokenEndpointOptions<R> {
  /** Any fintoken client: `createLayerClient`, `createAssetClient`, ... (see `allowServerOnlyTokens` for Thredfi). */
  client: TokenClient;
  /**
   * Required. The business id the signed-in user behind the request may act for, or
   * `{ businessId, subject }` naming the user too (the rate limit counts per `subject`), or a
   * falsy value (403). A thrown error, a rejection, a truthy non-string or an object without a
   * non-empty string `businessId` (or with a `subject` that is not one) becomes a 500 without
   * details. There is no default: a default could only be "everyone may have every business".
   */
  authorize: (req: R) => AuthorizeResult | Promise<AuthorizeResult>;
  /**
   * Pages on other origins allowed to ask (`https://app.example.com`): a request whose
   * `Sec-Fetch-Site` is `same-site`/`cross-site`, or whose `Origin` is not the request's own, is
   * refused (403 `cross_site_request`) unless its `Origin` is listed. Default: none.
   */
  allowedOrigins?: string[];
  /**
   * Hand out business tokens whose provider says to keep them server-side (Thredfi). Without it,
   * such a client is a `ConfigurationError` at construction. Default false.
   */
  allowServerOnlyTokens?: boolean;
  /** Token lifetime in seconds, sent in the provider's own field (Layer `session_duration`, Asset `expires_in`). */
  lifetimeSeconds?: number;
  /** @deprecated The former name of `lifetimeSeconds` (same meaning); give one, not both. */
  sessionDuration?: number;
  /**
   * Derive more of the token request from the request. It cannot change the authorized business
   * id, and returning a control field (`forceRefresh`, `rejectedToken`, `fresh`, `signal`) is a
   * 500 with nothing minted.
   */
  request?: (req: R, businessId: string) => TokenRequestExtras | undefined | Promise<TokenRequestExtras | undefined>;
  /** Per-identity request limit on this endpoint, counted after `authorize`. Off by default. */
  rateLimit?: RateLimitOptions<R>;
  /** Clock for `expires_in` and the rate limit; pass the client's clock in tests. Default `Date.now`. */
  now?: Clock;
}

/** The success body: the field names of an RFC 6749 §5.1 token response, plus the business. */
export interface BusinessTokenResponse {
  access_token: string;
  token_type: string;
  /** Seconds the token has left (a cached token has less than its full lifetime). */
  expires_in: number;
  business_id: string;
}

/** How one framework's request is read. Everything else is the endpoint's. */
export interface EndpointAdapter<R> {
  /** The factory's public name, for configuration errors (`businessTokenHandler`, `businessTokenRoute`). */
  name: string;
  method(req: R): string;
  /** One request header (case-insensitive name), or undefined. */
  header(req: R, name: string): string | undefined;
  /**
   * The origin the request was sent to (`https://app.example.com`), compared with a browser's
   * `Origin` when it sent no `Sec-Fetch-Site`. Only called then, so it may allocate.
   */
  origin(req: R): string | undefined;
}

const ALLOWED_METHODS = 'GET, POST';

/**
 * The business-token endpoint, framework-neutral: from one request to the status, headers and
 * JSON body to send. It never throws; every failure is already a generic JSON error.
 *
 * The rules, in the order a request meets them:
 * 1. GET and POST only (405 otherwise, a preflight's OPTIONS included). POST is preferred; no
 *    CORS header is ever set, so no other origin can read the token.
 * 2. Cross-site requests are refused (403 `cross_site_request`, `crossSite.ts`) before anything
 *    else runs: no `authorize`, no rate-limit bucket, no token.
 * 3. `authorize` names the business (and the user); falsy is a 403.
 * 4. The rate limit counts the authorized identity: a flood of unauthenticated requests never
 *    reaches anyone's bucket, and no client-controlled value (address, cookie) is a key.
 * 5. `request` extras may add to the token request, never steer the cache or the business.
 * 6. The token: cached, single-flight; a rejected-token fingerprint replaces it, bounded by core
 *    (`forcedRefreshIntervalMs`), so a page cannot turn requests into mints.
 * The request body is never read, so its content or size cannot matter.
 */
export function createTokenEndpoint<R>(options: TokenEndpointOptions<R>, adapter: EndpointAdapter<R>): (req: R) => Promise<EndpointResult> {
  checkOptions(adapter.name, options, {
    client: tokenClient,
    authorize: fn,
    allowedOrigins: checkAllowedOrigins,
    allowServerOnlyTokens: optionalBoolean,
    lifetimeSeconds: optionalPositiveInteger,
    sessionDuration: optionalPositiveInteger,
    request: optionalFn,
    now: optionalFn,
    rateLimit: optionalObject({ windowMs: positiveInteger, max: positiveInteger, key: optionalFn, maxKeys: optionalPositiveInteger }),
  });
  const { client, authorize, request, rateLimit } = options;
  const now = options.now ?? Date.now;
  // The provider's lifetime field, decided once: e.g. `{ sessionDuration: 900 }` for Layer.
  const lifetimeFields = browserTokenFields(adapter.name, options);
  const sameSite = createSiteCheck(options.allowedOrigins, adapter);
  const limit =
    rateLimit === undefined
      ? undefined
      : createRateLimiter({ windowMs: rateLimit.windowMs, max: rateLimit.max, maxKeys: rateLimit.maxKeys ?? 10_000, now });
  const customKey = rateLimit?.key;

  /** The bucket: the application's key, else the user, else the business; prefixed so the three never collide. */
  const bucketOf = (req: R, businessId: string, identity: AuthorizedIdentity | undefined): string => {
    if (customKey !== undefined) {
      const key = customKey(req, identity ?? { businessId });
      if (typeof key === 'string' && key !== '') return `k:${key}`;
    }
    return identity?.subject === undefined ? `b:${businessId}` : `u:${identity.subject}`;
  };

  /**
   * From one request to the answer. Hot path (a cached token, a synchronous `authorize`
   * returning a string): no await but the token's, and one object per step.
   */
  async function handle(req: R): Promise<EndpointResult> {
    let businessId: string;
    let tokenRequest: TokenRequest;
    try {
      const method = adapter.method(req);
      if (method !== 'GET' && method !== 'POST') return errorResult(errorResponse(405, 'method_not_allowed'), { allow: ALLOWED_METHODS });
      if (!sameSite(req)) return errorResult(errorResponse(403, 'cross_site_request'));
      const pending = authorize(req);
      const authorized = isThenable(pending) ? await pending : pending;
      if (!authorized) return errorResult(errorResponse(403, 'forbidden'));
      let identity: AuthorizedIdentity | undefined;
      if (typeof authorized === 'string') {
        businessId = authorized;
      } else {
        // A truthy non-string that is not an identity (e.g. `true` from a boolean check) is a bug in authorize: fail closed.
        const read = typeof authorized === 'object' ? identityOf(authorized) : MALFORMED;
        if (read === MALFORMED) return errorResult(errorResponse(500, 'internal_error'));
        identity = read;
        businessId = read.businessId;
      }
      if (limit !== undefined) {
        const verdict = limit(bucketOf(req, businessId, identity));
        if (!verdict.allowed) return errorResult(errorResponse(429, 'rate_limited', verdict.retryAfterSeconds));
      }
      const extras: unknown = request === undefined ? undefined : await request(req, businessId);
      // A control field from the application's callback is a bug on the server: nothing is minted.
      if (!isSafeExtras(extras)) return errorResult(errorResponse(500, 'internal_error'));
      // `fresh`: a browser keeps what it gets until its own refresh-ahead, so inside this server's
      // refresh window it waits for the replacement instead of coming back for it moments later.
      // The authorized business id comes after the extras: nothing derived from the request can replace it.
      tokenRequest = { ...lifetimeFields, ...extras, businessId, fresh: true };
    } catch {
      // The application's own callbacks (or the framework's request) failed: whatever they threw
      // (even a FintokenError) is the server's problem, and its message is not the browser's business.
      return errorResult(errorResponse(500, 'internal_error'));
    }
    try {
      let token = await client.getToken(tokenRequest);
      // The browser says the API refused this very token (@fintoken/fetch sends its fingerprint
      // after a 401): the provider revoked it early, so replace it rather than serve it again.
      // Core bounds this per key (`forcedRefreshIntervalMs`, default 30 s): the first report is
      // honoured at once, later ones inside the interval get the replacement, so a page that
      // always reports the token it just got makes one mint per interval, not one per request.
      const rejected = adapter.header(req, REJECTED_TOKEN_HEADER);
      if (rejected !== undefined && rejected === (await tokenFingerprint(token.accessToken))) {
        token = await client.getToken({ ...tokenRequest, fresh: false, forceRefresh: true, rejectedToken: token.accessToken });
      }
      const body: BusinessTokenResponse = {
        access_token: token.accessToken,
        token_type: token.tokenType,
        expires_in: remainingSeconds(token, now()),
        business_id: businessId,
      };
      return jsonResult(200, body);
    } catch (error) {
      return errorResult(mapError(error));
    }
  }

  return handle;
}

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
