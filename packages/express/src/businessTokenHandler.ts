import { REJECTED_TOKEN_HEADER, remainingSeconds, tokenFingerprint, type Clock, type TokenClient, type TokenRequest } from '@fintoken/core';
import type { Request, RequestHandler, Response } from 'express';
import { errorResponse, sendError, setNoStore, writeJson, type ErrorResponse } from './errorResponse.js';
import { mapError } from './mapError.js';
import { createRateLimiter } from './rateLimit.js';
import { checkOptions, fn, optionalFn, optionalObject, optionalPositiveInteger, positiveInteger, tokenClient } from './validate.js';

/** What `authorize` returns: the business id the signed-in user may act for, or a falsy value to refuse. */
export type AuthorizeResult = string | null | undefined | false;

/** Extra fields for the token request (e.g. `scope`, or Layer's `sessionDuration`). The business id is not among them. */
export type TokenRequestExtras = Omit<TokenRequest, 'businessId'> & Record<string, unknown>;

export interface RateLimitOptions {
  /** Length of one counting window, ms. */
  windowMs: number;
  /** Requests allowed per key and window; the next ones get 429 with `Retry-After`. */
  max: number;
  /** Who is counted: e.g. the session's user id. Default (and when it returns undefined) `req.ip`. */
  key?: (req: Request) => string | undefined;
  /** Most keys remembered at once (oldest forgotten first). Default 10,000. */
  maxKeys?: number;
}

export interface BusinessTokenHandlerOptions {
  /** Any fintoken client: `createLayerClient`, `createThredfiClient`, `createAssetClient`, ... */
  client: TokenClient;
  /**
   * Required. The business id the signed-in user behind `req` may act for, or a falsy value
   * (403). A thrown error or rejection becomes a 500 without details. There is no default:
   * a default could only be "everyone may have every business".
   */
  authorize: (req: Request) => AuthorizeResult | Promise<AuthorizeResult>;
  /** Token lifetime in seconds, for providers that let the caller choose it (Layer's `session_duration`). */
  sessionDuration?: number;
  /** Derive more of the token request from `req`; it cannot change the authorized business id. */
  request?: (req: Request, businessId: string) => TokenRequestExtras | undefined | Promise<TokenRequestExtras | undefined>;
  /** Per-key request limit on this endpoint. Off by default. */
  rateLimit?: RateLimitOptions;
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

const ALLOWED_METHODS = 'GET, POST';

/**
 * A route handler that hands the signed-in user's browser a token scoped to the one business
 * `authorize` allows. Mount it on POST (preferred) or GET: `app.post('/api/token', handler)`.
 *
 * POST is preferred because a GET can be triggered cross-site (an `<img>` or link) carrying the
 * user's cookies, whereas a cross-site POST with a JSON body needs a CORS preflight. Neither
 * lets another origin read the token: this handler never sets CORS headers, so the browser
 * withholds the response from any page but your own. Other methods get 405 (a preflight's
 * OPTIONS included).
 *
 * @example
 * app.post('/api/layer-token', businessTokenHandler({
 *   client: layer,
 *   authorize: (req) => req.session.user?.layerBusinessId,
 * }));
 */
export function businessTokenHandler(options: BusinessTokenHandlerOptions): RequestHandler {
  checkOptions('businessTokenHandler', options, {
    client: tokenClient,
    authorize: fn,
    sessionDuration: optionalPositiveInteger,
    request: optionalFn,
    now: optionalFn,
    rateLimit: optionalObject({ windowMs: positiveInteger, max: positiveInteger, key: optionalFn, maxKeys: optionalPositiveInteger }),
  });
  const { client, authorize, sessionDuration, request, rateLimit } = options;
  const now = options.now ?? Date.now;
  const limit =
    rateLimit === undefined
      ? undefined
      : createRateLimiter({ windowMs: rateLimit.windowMs, max: rateLimit.max, maxKeys: rateLimit.maxKeys ?? 10_000, now });
  const address = (req: Request) => req.ip ?? req.socket.remoteAddress ?? 'unknown';
  // A request the key function cannot name (e.g. no session yet) is counted by its address.
  const keyOf = rateLimit?.key === undefined ? address : (req: Request) => rateLimit.key?.(req) ?? address(req);

  /** Run the application's callbacks: the token request to make, or the error to answer with. */
  async function resolve(req: Request): Promise<{ businessId: string; tokenRequest: TokenRequest } | ErrorResponse> {
    try {
      if (limit !== undefined) {
        const verdict = limit(keyOf(req));
        if (!verdict.allowed) return errorResponse(429, 'rate_limited', verdict.retryAfterSeconds);
      }
      const businessId = await authorize(req);
      if (!businessId) return errorResponse(403, 'forbidden');
      // A truthy non-string (e.g. `true` from a boolean check) is a bug in authorize: fail closed.
      if (typeof businessId !== 'string') return errorResponse(500, 'internal_error');
      const extras = request === undefined ? undefined : await request(req, businessId);
      // The authorized business id is spread last: nothing derived from the request can replace it.
      const tokenRequest: TokenRequest = { ...(sessionDuration === undefined ? {} : { sessionDuration }), ...extras, businessId };
      return { businessId, tokenRequest };
    } catch {
      // The application's own callbacks failed: whatever they threw (even a FintokenError) is
      // the server's problem, and its message is not the browser's business.
      return errorResponse(500, 'internal_error');
    }
  }

  async function handle(req: Request, res: Response): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'POST') {
      sendError(res, errorResponse(405, 'method_not_allowed'), { Allow: ALLOWED_METHODS });
      return;
    }
    const resolved = await resolve(req);
    if ('status' in resolved) {
      sendError(res, resolved);
      return;
    }
    let token = await client.getToken(resolved.tokenRequest);
    // The browser says the API refused this very token (@fintoken/fetch sends its fingerprint
    // after a 401): the provider revoked it early, so replace it rather than serve it again.
    // A fingerprint of any other token changes nothing, so the header cannot force refreshes.
    const rejected = req.get(REJECTED_TOKEN_HEADER);
    if (rejected !== undefined && rejected === (await tokenFingerprint(token.accessToken))) {
      token = await client.getToken({ ...resolved.tokenRequest, forceRefresh: true, rejectedToken: token.accessToken });
    }
    const body: BusinessTokenResponse = {
      access_token: token.accessToken,
      token_type: token.tokenType,
      expires_in: remainingSeconds(token, now()),
      business_id: resolved.businessId,
    };
    setNoStore(res);
    writeJson(res, 200, body);
  }

  return (req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) {
        res.end();
        return;
      }
      sendError(res, mapError(error));
    });
  };
}
