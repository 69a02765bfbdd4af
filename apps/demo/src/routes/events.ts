import express, { type Router } from 'express';
import type { DemoContext } from '../context.js';
import type { PublicEvent } from '../events.js';
import { actsFor } from '../users.js';

const HEARTBEAT_MS = 15_000;

/**
 * `GET /api/events`: the server's token events as Server-Sent Events (WHATWG HTML §9.2). A user
 * sees the client-token events and the business-token events of their own businesses only.
 */
export function eventRoutes(ctx: DemoContext, streams: Set<() => void>): Router {
  const router = express.Router();
  router.get('/api/events', ctx.sessions.require, (req, res) => {
    const user = req.demoUser as string;
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write(`retry: 2000\nevent: ready\ndata: {}\n\n`);
    const visible = (event: PublicEvent) =>
      event.businessId === undefined || actsFor(ctx.directory, user, event.provider, event.businessId);
    const unsubscribe = ctx.hub.subscribe((event) => {
      if (visible(event)) res.write(`event: token\ndata: ${JSON.stringify(event)}\n\n`);
    });
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
    heartbeat.unref();
    const end = () => {
      clearInterval(heartbeat);
      unsubscribe();
      streams.delete(end);
      res.end();
    };
    streams.add(end);
    req.on('close', end);
  });
  return router;
}
