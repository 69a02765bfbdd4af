import {
  createTokenEndpoint,
  type AuthorizedIdentity,
  type AuthorizeResult,
  type BusinessTokenResponse,
  type RateLimitOptions as SharedRateLimitOptions,
  type TokenEndpointOptions,
  type TokenRequestExtras,
} from '@fintoken/web/adapter';
import type { Request, RequestHandler } from 'express';
import { send } from './send.js';

export type { AuthorizedIdentity, AuthorizeResult, BusinessTokenResponse, TokenRequestExtras };

/** `key(req, authorized)` defaults (and falls back, when it returns undefined) to the authorized identity: `subject`, else the business id. */
export type RateLimitOptions = SharedRateLimitOptions<Request>;

export type BusinessTokenHandlerOptions = TokenEndpointOptions<Request>;

/**
 * A route handler that hands the signed-in user's browser a token scoped to the one business
 * `authorize` allows. Mount it on POST (preferred) or GET: `app.post('/api/token', handler)`.
 * The rules (cross-site refusal, required authorize, `no-store`, generic errors, the bounded
 * rejected-token fingerprint, the per-identity rate limit, 405 for other methods) are
 * `@fintoken/web`'s shared endpoint; this only translates between it and Express.
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
    origin,
  });
  return (req, res) => {
    void endpoint(req).then((result) => {
      // Something earlier in the chain already answered: finish that response, add nothing to it.
      if (res.headersSent) res.end();
      else send(res, result);
    });
  };
}

/**
 * The origin this request was sent to, as a browser writes it in `Origin`. `req.protocol` honours
 * Express's `trust proxy` (X-Forwarded-Proto from a trusted proxy only); the host is the `Host`
 * header as received: X-Forwarded-Host is never read, so no client can name the origin it is
 * compared with. Lower-cased, as browsers serialise hosts (RFC 6454 §6.1).
 */
function origin(req: Request): string | undefined {
  const host = req.get('host');
  return host === undefined ? undefined : `${req.protocol}://${host.toLowerCase()}`;
}
