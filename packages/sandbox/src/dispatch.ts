import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from './clock.js';
import { corsPreflight, withCors } from './cors.js';
import { alterReply, drawLatency, faultReply } from './faultReply.js';
import type { FaultStore } from './faults.js';
import { json, PayloadTooLargeError, readBody, type Reply } from './http.js';
import type { Match, RequestContext, Router } from './router.js';
import type { Scheduler } from './scheduler.js';
import type { Stats } from './stats.js';
import type { Fault } from './types.js';
import { writeReply } from './write.js';

export interface DispatchDeps {
  router: Router;
  stats: Stats;
  faults: FaultStore;
  random: () => number;
  clock: Clock;
  scheduler: Scheduler;
}

// RFC 6749 §5.1: "Cache-Control: no-store" and "Pragma: no-cache" on token responses.
const noStore = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

const noEmulator: Reply = json(404, {
  error: 'not_found',
  error_description: 'No emulator here: providers live under /layer, /thredfi, /asset and /layer1',
});

async function handleRoute(match: Match, req: IncomingMessage, query: string): Promise<Reply> {
  const route = match.routes.find((r) => r.method === req.method);
  if (!route) {
    const allow = [...new Set(match.routes.map((r) => r.method))].join(', ');
    const error = match.routes[0]?.error ?? match.mount.error;
    const reply = error(405, `Method ${req.method ?? ''} not allowed; use ${allow}`);
    return { ...reply, headers: { ...reply.headers, Allow: allow } };
  }
  let body: Promise<Buffer> | undefined;
  const ctx: RequestContext = { req, params: match.params, query, body: () => (body ??= readBody(req)) };
  try {
    return await route.handle(ctx);
  } catch (error) {
    const shape = route.error ?? match.mount.error;
    if (error instanceof PayloadTooLargeError) return shape(413, error.message);
    return shape(500, 'Internal sandbox error');
  }
}

/**
 * The request pipeline: route, count, apply the endpoint's next fault, run the handler, write.
 * Kept free of logging and allocation-heavy work: benchmarks send thousands of requests at once.
 */
export function createDispatcher(deps: DispatchDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const { router, stats, faults, clock, scheduler } = deps;

  async function dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const match = router.match(q === -1 ? url : url.slice(0, q));
    if (!match) return writeReply(res, noEmulator, clock.httpDate());
    const first = match.routes[0];
    if (!first) return writeReply(res, match.mount.error(404, `No route for ${req.method ?? ''} ${url}`), clock.httpDate());
    // A preflight is the browser's, not the client's: neither counted nor faulted.
    if (first.cors && req.method === 'OPTIONS') return writeReply(res, corsPreflight, clock.httpDate());

    let fault: Fault | undefined;
    if (first.endpoint !== undefined) {
      stats.increment(first.endpoint);
      fault = faults.take(first.endpoint);
    }
    let reply: Reply | undefined;
    if (fault) {
      const latency = drawLatency(fault.latencyMs, deps.random);
      if (latency > 0) await scheduler.delay(latency);
      if (fault.hang) return; // the socket stays open until the client gives up or close() runs
      if (fault.drop) {
        req.socket.destroy();
        return;
      }
      reply = faultReply(fault, first.error ?? match.mount.error);
    }
    if (!reply) {
      reply = await handleRoute(match, req, q === -1 ? '' : url.slice(q + 1));
      if (fault) reply = alterReply(reply, fault);
    }
    if (first.noStore) reply = { ...reply, headers: { ...reply.headers, ...noStore } };
    if (first.cors) reply = withCors(reply);
    if (res.destroyed) return;
    const slow = fault?.slowBodyMs ? { ms: fault.slowBodyMs, scheduler } : undefined;
    writeReply(res, reply, clock.httpDate(), slow);
  }

  return (req, res) => {
    dispatch(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  };
}
