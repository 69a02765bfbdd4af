import { errorHandler } from '@fintoken/express';
import { faviconRoute, loopbackHostsOnly } from '@fintoken/layer-react';
import express, { type ErrorRequestHandler, type Express } from 'express';
import type { DemoContext } from './context.js';
import { eventRoutes } from './routes/events.js';
import { faultRoutes } from './routes/faults.js';
import { pageRoutes } from './routes/page.js';
import { proxyRoutes } from './routes/proxy.js';
import { NoBusinessError, serverCallRoutes } from './routes/serverCall.js';
import { sessionRoutes } from './routes/session.js';
import { tokenRoutes } from './routes/token.js';

/** The last error handler: a fixed message per status, never the error's own text. */
function finalErrors(ctx: DemoContext): ErrorRequestHandler {
  return (error: unknown, _req, res, _next) => {
    if (error instanceof NoBusinessError) {
      res.status(403).json({ error: { code: 'forbidden', message: 'You act for no business at this provider' } });
      return;
    }
    const status = (error as { status?: unknown }).status;
    // body-parser's errors (malformed JSON 400, too large 413) carry a status.
    if (typeof status === 'number' && status >= 400 && status < 500) {
      res.status(status).json({ error: { code: 'bad_request', message: 'The request could not be read' } });
      return;
    }
    ctx.logger.log({ type: 'demo.error', error: (error as { name?: unknown }).name ?? 'Error' });
    res.status(500).json({ error: { code: 'internal_error', message: 'Something went wrong in the demo server' } });
  };
}

/** The Express app: page, sign-in, token endpoints, server-side calls, proxy, faults, events. */
export function createApp(ctx: DemoContext, streams: Set<() => void>): Express {
  const app = express();
  app.disable('x-powered-by');
  // DNS rebinding: a page on attacker.example resolved to 127.0.0.1 gets a 403 from every route.
  app.use(loopbackHostsOnly(ctx.host));
  app.use(faviconRoute());
  app.use(pageRoutes());
  app.use(ctx.telemetry.routes());
  app.use(ctx.sessions.read);
  app.use('/api', express.json({ limit: '16kb' }));
  app.use(sessionRoutes(ctx));
  app.use(tokenRoutes(ctx));
  app.use(serverCallRoutes(ctx));
  app.use(faultRoutes(ctx));
  app.use(eventRoutes(ctx, streams));
  app.use(proxyRoutes(ctx));
  app.use('/api', (_req, res) => {
    res.status(404).json({ error: { code: 'not_found', message: 'No such API route' } });
  });
  // FintokenErrors (from withToken and our routes): 502/503/501 with a generic body.
  app.use(errorHandler());
  app.use(finalErrors(ctx));
  return app;
}
