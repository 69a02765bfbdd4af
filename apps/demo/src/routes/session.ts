import express, { type Router } from 'express';
import type { DemoContext } from '../context.js';
import { businessProviders, isBrowserTokenProvider, providerIds, providerSpecs, type ProviderId } from '../providers.js';

/** What the page renders from: who is signed in, and one card per provider. */
function describe(ctx: DemoContext, user: string | undefined) {
  const mine = user === undefined ? {} : (ctx.directory.get(user) ?? {});
  const providers = providerIds.map((id: ProviderId) => {
    const spec = providerSpecs[id];
    const mode = ctx.connections[id].mode;
    const base = { id, name: spec.name, mode, faults: mode === 'sandbox' && ctx.admin !== undefined };
    if (id === 'layer1') return { ...base, businessTokens: false };
    const businessId = mine[id]?.[0];
    // Someone else's business, for the "try a business you may not act for" button (expect 403).
    const other = [...ctx.directory.entries()].flatMap(([name, b]) => (name === user ? [] : (b[id] ?? []))).find((b) => !mine[id]?.includes(b));
    return {
      ...base,
      // Whether the page holds this provider's business token (Layer, Asset) or only the server does (Thredfi).
      businessTokens: isBrowserTokenProvider(id),
      businessId,
      otherBusinessId: other,
      apiPath: businessId === undefined || spec.apiPath === undefined || !isBrowserTokenProvider(id) ? undefined : `/proxy/${id}${spec.apiPath(businessId)}`,
    };
  });
  const users = [...ctx.directory.entries()].map(([name, b]) => ({
    name,
    businesses: Object.fromEntries(businessProviders.map((p) => [p, b[p] ?? []])),
  }));
  return { user: user ?? null, users, providers, layerReact: ctx.layerReactUrl ?? null };
}

export function sessionRoutes(ctx: DemoContext): Router {
  const router = express.Router();
  router.get('/api/session', (req, res) => {
    res.set('Cache-Control', 'no-store').json(describe(ctx, req.demoUser));
  });
  router.post('/api/session', (req, res) => {
    const user: unknown = (req.body as { user?: unknown } | undefined)?.user;
    if (typeof user !== 'string' || !ctx.directory.has(user)) {
      res.status(400).json({ error: { code: 'unknown_user', message: 'No such demo user' } });
      return;
    }
    ctx.sessions.signIn(res, user);
    res.status(204).end();
  });
  router.delete('/api/session', (_req, res) => {
    ctx.sessions.signOut(res);
    res.status(204).end();
  });
  return router;
}
