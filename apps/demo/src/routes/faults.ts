import express, { type Router } from 'express';
import type { DemoContext } from '../context.js';
import { faultPlans, isFaultKind, providerIds, providerSpecs } from '../providers.js';

/**
 * `POST /api/:provider/faults {kind}` and `DELETE /api/:provider/faults`: make the sandbox fail
 * through its admin API (one-shot 401, 503 bursts, 429 + Retry-After, latency). Only for
 * providers on the sandbox: a real provider cannot be told to fail.
 */
export function faultRoutes(ctx: DemoContext): Router {
  const router = express.Router();
  for (const provider of providerIds) {
    const { endpoints } = providerSpecs[provider];
    const adminFor = () => (ctx.connections[provider].mode === 'sandbox' ? ctx.admin : undefined);

    router.post(`/api/${provider}/faults`, ctx.sessions.require, async (req, res, next) => {
      const admin = adminFor();
      const kind: unknown = (req.body as { kind?: unknown } | undefined)?.kind;
      if (admin === undefined) {
        res.status(409).json({ error: { code: 'not_sandbox', message: `${provider} talks to the real provider; faults need the sandbox` } });
        return;
      }
      if (!isFaultKind(kind)) {
        res.status(400).json({ error: { code: 'unknown_fault', message: 'Unknown fault kind' } });
        return;
      }
      try {
        const plan = faultPlans[kind];
        const endpoint = endpoints[plan.target];
        await admin.inject(endpoint, plan.fault);
        ctx.logger.log({ provider, type: 'sandbox.fault', endpoint, fault: kind });
        res.status(201).json({ provider, kind, endpoint, label: plan.label });
      } catch (error) {
        next(error);
      }
    });

    router.delete(`/api/${provider}/faults`, ctx.sessions.require, async (_req, res, next) => {
      const admin = adminFor();
      if (admin === undefined) {
        res.status(409).json({ error: { code: 'not_sandbox', message: `${provider} talks to the real provider` } });
        return;
      }
      try {
        await Promise.all([admin.clear(endpoints.token), admin.clear(endpoints.api)]);
        res.status(204).end();
      } catch (error) {
        next(error);
      }
    });
  }
  return router;
}
