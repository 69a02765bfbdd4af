import { REJECTED_TOKEN_HEADER, remainingSeconds, tokenFingerprint, type Clock, type TokenClient, type TokenRequest } from '@fintoken/core';
import { errorResponse, errorResult, jsonResult, type EndpointResult } from './errorResponse.js';
import { mapError } from './mapError.js';
import { createRateLimiter } from './rateLimit.js';
import { checkOptions, fn, optionalFn, optionalObject, optionalPositiveInteger, positiveInteger, tokenClient } from './validate.js';

/** What `authorize` returns: the business id the signed-in user may act for, or a falsy value to refuse. */
export type AuthorizeResult = string | null | undefined | false;

/** Extra fields for the token request (e.g. `scope`, or Layer's `sessionDuration`). The business id is not among them. */
export type TokenRequestExtras = Omit<TokenRequest, 'businessId'> & Record<string, unknown>;

/** `R` is the framework's request: Express's `req`, or the Fetch API's `Request`. */
export interface RateLimitOptions<R> {
  /** Length of one counting window, ms. */
  windowMs: number;
  /** Requests allowed per key and window; the next ones get 429 with `Retry-After`. */
  max: number;
  /** Who is counted: e.g. the session's user id. When it returns undefined, the adapter's fallback (Express: `req.ip`). */
  key?: (req: R) => string | undefined;
  /** Most keys remembered at once (oldest forgotten first). Default 10,000. */
  maxKeys?: number;
}

export interface TokenEndpointOptions<R> {
  /** Any fintoken client: `createLayerClient`, `createThredfiClient`, `createAssetClient`, ... */
  client: TokenClient;
  /**
   * Required. The business id the signed-in user behind the request may act for, or a falsy
   * value (403). A thrown error or rejection becomes a 500 without details. There is no
   * default: a default could only be "everyone may have every business".
   */
  authorize: (req: R) => AuthorizeResult | Promise<AuthorizeResult>;
  /** Token lifetime in seconds, for providers that let the caller choose it (Layer's `session_duration`). */
  sessionDuration?: number;
  /** Derive more of the token request from the request; it cannot change the authorized business id. */
  request?: (req: R, businessId: string) => TokenRequestExtras | undefined | Promise<TokenRequestExtras | undefined>;
  /** Per-key request limit on this endpoint. Off by default. */
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
   * Who a request is counted as when `rateLimit.key` names nobody (Express: the client address).
   * Without it, `rateLimit.key` is required: a Fetch `Request` carries no client address.
   */
  address?: (req: R) => string;
}

const ALLOWED_METHODS = 'GET, POST';

/**
 * The business-token endpoint, framework-neutral: from one request to the status, headers and
 * JSON body to send. It never throws; every failure is already a generic JSON error.
 *
 * GET and POST are served; POST is preferred because a GET can be triggered cross-site (an
 * `<img>` or link) carrying the user's cookies, whereas a cross-site POST with a JSON body needs a
 * CORS preflight. Neither lets another origin read the token: no CORS header is ever set, so the
 * browser withholds the response from any page but your own. Other methods get 405 (a
 * preflight's OPTIONS included). The request body is never read, so its content or size cannot
 * matter.
 */
export function createTokenEndpoint<R>(options: TokenEndpointOptions<R>, adapter: EndpointAdapter<R>): (req: R) => Promise<EndpointResult> {
  const key = adapter.address === undefined ? fn : optionalFn;
  checkOptions(adapter.name, options, {
    client: tokenClient,
    authorize: fn,
    sessionDuration: optionalPositiveInteger,
    request: optionalFn,
    now: optionalFn,
    rateLimit: optionalObject({ windowMs: positiveInteger, max: positiveInteger, key, maxKeys: optionalPositiveInteger }),
  });
  const { client, authorize, sessionDuration, request, rateLimit } = options;
  const now = options.now ?? Date.now;
  // Layer's session duration goes into every token request (a field only some providers read).
  const sessionFields = sessionDuration === undefined ? {} : { sessionDuration };
  const limit =
    rateLimit === undefined
      ? undefined
      : createRateLimiter({ windowMs: rateLimit.windowMs, max: rateLimit.max, maxKeys: rateLimit.maxKeys ?? 10_000, now });
  // A request the key function cannot name (e.g. no session yet) is counted by its address, or,
  // where the runtime gives none, in one bucket shared by every such request.
  const fallback = adapter.address ?? (() => 'anonymous');
  const keyOf = (req: R) => rateLimit?.key?.(req) ?? fallback(req);

  /**
   * From one request to the answer. Hot path (a cached token, a synchronous `authorize`): no
   * await but the token's, and one object per step.
   */
  async function handle(req: R): Promise<EndpointResult> {
    let businessId: AuthorizeResult;
    let tokenRequest: TokenRequest;
    try {
      const method = adapter.method(req);
      if (method !== 'GET' && method !== 'POST') return errorResult(errorResponse(405, 'method_not_allowed'), { allow: ALLOWED_METHODS });
      if (limit !== undefined) {
        const verdict = limit(keyOf(req));
        if (!verdict.allowed) return errorResult(errorResponse(429, 'rate_limited', verdict.retryAfterSeconds));
      }
      const authorized = authorize(req);
      businessId = isThenable(authorized) ? await authorized : authorized;
      if (!businessId) return errorResult(errorResponse(403, 'forbidden'));
      // A truthy non-string (e.g. `true` from a boolean check) is a bug in authorize: fail closed.
      if (typeof businessId !== 'string') return errorResult(errorResponse(500, 'internal_error'));
      // `fresh`: a browser keeps what it gets until its own refresh-ahead, so inside this server's
      // refresh window it waits for the replacement instead of coming back for it moments later.
      // The authorized business id comes after the extras: nothing derived from the request can replace it.
      const extras = request === undefined ? undefined : await request(req, businessId);
      tokenRequest = { ...sessionFields, ...extras, businessId, fresh: true };
    } catch {
      // The application's own callbacks (or the framework's request) failed: whatever they threw
      // (even a FintokenError) is the server's problem, and its message is not the browser's business.
      return errorResult(errorResponse(500, 'internal_error'));
    }
    try {
      let token = await client.getToken(tokenRequest);
      // The browser says the API refused this very token (@fintoken/fetch sends its fingerprint
      // after a 401): the provider revoked it early, so replace it rather than serve it again.
      // A fingerprint of any other token changes nothing, so the header cannot force refreshes.
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
