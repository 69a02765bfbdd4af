import { businessTokenHandler } from '@fintoken/express';
import express, { type Request, type Router } from 'express';
import type { DemoContext } from '../context.js';
import { browserTokenProviders } from '../providers.js';
import { allowedBusiness } from '../users.js';

// Layer lets the caller choose the business token's lifetime (seed: session_duration); short
// enough to watch the page refresh it.
const LAYER_SESSION_DURATION_S = 300;

const body = (req: Request) => (req.body ?? {}) as { business_id?: unknown };

/**
 * `POST /api/{layer,asset}/token`: @fintoken/express's businessTokenHandler, answering
 * `{access_token, token_type, expires_in, business_id}` to the signed-in user's page. Thredfi has
 * none: its business tokens stay on the server (providers.ts, browserTokenProviders).
 */
export function tokenRoutes(ctx: DemoContext): Router {
  const router = express.Router();
  for (const provider of browserTokenProviders) {
    const handler = businessTokenHandler({
      client: ctx.clients[provider],
      // The real authorization decision: the page may name a business (body.business_id), but
      // only one the signed-in user acts for is minted; anything else is a 403.
      // The signed-in user is the subject: the rate limit counts each user on their own.
      authorize: (req) => {
        const businessId = allowedBusiness(ctx.directory, req.demoUser, provider, body(req).business_id);
        return businessId === undefined ? undefined : { businessId, subject: req.demoUser! };
      },
      // One lifetime option, mapped to Layer's session_duration (Asset's would be expires_in).
      ...(provider === 'layer' ? { lifetimeSeconds: LAYER_SESSION_DURATION_S } : {}),
      // After an API 401, @fintoken/fetch sends the refused token's fingerprint (x-fintoken-rejected)
      // and the handler replaces that token if it is still the cached one, at most once per token
      // per 30 s (core's forcedRefreshIntervalMs): many tabs' 401s make one upstream request.
      rateLimit: { windowMs: 60_000, max: 120 },
    });
    router.post(`/api/${provider}/token`, ctx.sessions.require, handler);
  }
  return router;
}
