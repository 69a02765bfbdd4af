import {
  createTokenEndpoint,
  type AuthorizeResult,
  type BusinessTokenResponse,
  type RateLimitOptions as SharedRateLimitOptions,
  type TokenEndpointOptions,
  type TokenRequestExtras,
} from '@fintoken/web/adapter';
import type { Request, RequestHandler } from 'express';
import { send } from './send.js';

export type { AuthorizeResult, BusinessTokenResponse, TokenRequestExtras };

/** `key` defaults (and falls back, when it returns undefined) to `req.ip`. */
export type RateLimitOptions = SharedRateLimitOptions<Request>;

export type BusinessTokenHandlerOptions = TokenEndpointOptions<Request>;

/**
 * A route handler that hands the signed-in user's browser a token scoped to the one business
 * `authorize` allows. Mount it on POST (preferred) or GET: `app.post('/api/token', handler)`.
 * The rules (required authorize, `no-store`, generic errors, the rejected-token fingerprint, the
 * rate limit, 405 for other methods) are `@fintoken/web`'s shared endpoint; this only translates
 * between it and Express.
 *
 * @example
 * app.post('/api/layer-token', businessTokenHandler({
 *   client: layer,
 *   authorize: (req) => req.session.user?.layerBusinessId,
 * }));
 */
export function businessTokenHandler(options: BusinessTokenHandlerOptions): RequestHandler {
  const endpoint = createTokenEndpoint<Request>(options, {
    name: 'businessTokenHandler',
    method: (req) => req.method,
    header: (req, name) => req.get(name),
    address: (req) => req.ip ?? req.socket.remoteAddress ?? 'unknown',
  });
  return (req, res) => {
    void endpoint(req).then((result) => {
      // Something earlier in the chain already answered: finish that response, add nothing to it.
      if (res.headersSent) res.end();
      else send(res, result);
    });
  };
}
