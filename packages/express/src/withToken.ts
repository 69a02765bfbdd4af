import { createTokenContext, type FintokenRequestContext, type TokenContextOptions } from '@fintoken/web/adapter';
import type { Request, RequestHandler } from 'express';

export type { FintokenRequestContext };

// Augment the global `Express.Request` interface that both @types/express 4 and 5 merge into
// their Request (the pattern passport and express-session use). It needs no import of Express's
// types, so it resolves whichever major version the application has installed.
declare global {
  namespace Express {
    interface Request {
      /** Set by `withToken()` from @fintoken/express. */
      fintoken?: FintokenRequestContext;
    }
  }
}

export type WithTokenOptions = TokenContextOptions<Request>;

/**
 * Middleware that gets a token before your route runs and puts `{ token, fetch }` on
 * `req.fintoken` for server-side calls to the provider. A failure goes to `next(err)`; mount
 * `errorHandler()` to turn it into a JSON error.
 *
 * @example
 * app.get('/api/business', withToken({ client: layer, request: (req) => ({ businessId: req.session.businessId }) }),
 *   async (req, res, next) => {
 *     try {
 *       const upstream = await req.fintoken!.fetch(`/v1/businesses/${req.session.businessId}`);
 *       res.status(upstream.status).json(await upstream.json());
 *     } catch (error) { next(error); }
 *   }, errorHandler());
 */
export function withToken(options: WithTokenOptions): RequestHandler {
  const contextFor = createTokenContext<Request>('withToken', options);
  return (req, _res, next) => {
    contextFor(req).then(
      (context) => {
        req.fintoken = context;
        next();
      },
      (error: unknown) => next(error),
    );
  };
}
