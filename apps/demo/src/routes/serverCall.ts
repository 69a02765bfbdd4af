import type { Token, TokenClient, TokenRequest } from '@fintoken/core';
import { withToken } from '@fintoken/express';
import express, { type Request, type Router } from 'express';
import type { DemoContext } from '../context.js';
import { isBusinessProvider, providerIds, providerSpecs } from '../providers.js';
import { allowedBusiness } from '../users.js';

/** The signed-in user acts for no business at this provider. */
export class NoBusinessError extends Error {
  override name = 'NoBusinessError';
  readonly status = 403;
}

/** What the page may know about a server-side token: how long it has left, never the token. */
const describeToken = (token: Token, now: number) => ({
  expiresInMs: Math.max(0, token.expiresAt - now),
  ...(token.businessId === undefined ? {} : { businessId: token.businessId }),
  ...(token.scope === undefined ? {} : { scope: token.scope }),
});

async function readBody(response: { text(): Promise<string> }): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text.slice(0, 2_000);
  }
}

/**
 * `GET /api/:provider/server-call`: a server-side API call with `withToken` (the client/partner
 * token or the user's business token stays here); `POST /api/:provider/server-refresh` forces a new
 * server-side token, to watch the sandbox faults from the server's side.
 */
export function serverCallRoutes(ctx: DemoContext): Router {
  const router = express.Router();
  for (const provider of providerIds) {
    const spec = providerSpecs[provider];
    const client = ctx.clients[provider] as TokenClient;
    // `?business_id=` asks for a business of the page's choosing (the "someone else's" button); only
    // one the signed-in user acts for is used, else 403, as the token endpoints' authorize does.
    const businessOf = (req: Request) =>
      isBusinessProvider(provider) ? allowedBusiness(ctx.directory, req.demoUser, provider, req.query.business_id) : undefined;
    const tokenRequest = (req: Request): TokenRequest | undefined => {
      if (spec.serverCall.token === 'client') return undefined;
      const businessId = businessOf(req);
      // No business for this user: fail closed rather than fall back to the partner token.
      if (businessId === undefined) throw new NoBusinessError();
      return { businessId };
    };

    router.get(
      `/api/${provider}/server-call`,
      ctx.sessions.require,
      withToken({ client, request: tokenRequest }),
      async (req, res, next) => {
        try {
          const path = spec.serverCall.path(businessOf(req));
          if (ctx.connections[provider].apiUrl === undefined) {
            res.status(501).json({ error: { code: 'no_api_url', message: `Set ${provider.toUpperCase()}_API_URL to call the API` } });
            return;
          }
          const started = performance.now();
          const upstream = await req.fintoken!.fetch(path, { signal: AbortSignal.timeout(15_000) });
          const durationMs = Math.round(performance.now() - started);
          const body = await readBody(upstream);
          // Read the token again: a 401 on the way may have replaced it.
          const current = await client.getToken(tokenRequest(req));
          res.set('Cache-Control', 'no-store').json({
            provider,
            path,
            status: upstream.status,
            durationMs,
            token: { kind: spec.serverCall.token, ...describeToken(current, Date.now()) },
            body,
          });
        } catch (error) {
          next(error);
        }
      },
    );

    router.post(`/api/${provider}/server-refresh`, ctx.sessions.require, async (req, res, next) => {
      try {
        const started = performance.now();
        const token = await client.getToken({ ...tokenRequest(req), forceRefresh: true });
        res.set('Cache-Control', 'no-store').json({
          provider,
          durationMs: Math.round(performance.now() - started),
          token: { kind: spec.serverCall.token, ...describeToken(token, Date.now()) },
        });
      } catch (error) {
        next(error);
      }
    });
  }
  return router;
}
