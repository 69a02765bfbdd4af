import type { ApiRequestLog } from './apiRequestLog.js';
import type { Clock } from './clock.js';
import { isEndpointName, providerNames, type ProviderName } from './endpoints.js';
import type { FaultStore } from './faults.js';
import { json, parseJson, type Reply } from './http.js';
import type { Mount, RequestContext } from './router.js';
import type { Stats } from './stats.js';
import type { Fault } from './types.js';

export interface AdminOptions {
  stats: Stats;
  faults: FaultStore;
  clock: Clock;
  /** What GET /__admin/info returns: urls, credentials, businesses, jwks. */
  info: unknown;
  apiRequests: ApiRequestLog;
  rotateSecret: (provider: ProviderName) => string;
}

const adminError = (status: number, description: string): Reply => json(status, { error: description });

type Read = { ok: true; body: Record<string, unknown> } | { ok: false; reply: Reply };

async function readObject(ctx: RequestContext): Promise<Read> {
  const raw = await ctx.body();
  const body = raw.length === 0 ? {} : parseJson(raw);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, reply: adminError(400, 'Body must be a JSON object') };
  }
  return { ok: true, body: body as Record<string, unknown> };
}

// JSON has no Infinity: admin clients send times -1 or "Infinity" for "until cleared".
function reviveTimes(fault: unknown): unknown {
  if (typeof fault !== 'object' || fault === null) return fault;
  const { times } = fault as { times?: unknown };
  return times === -1 || times === 'Infinity' ? { ...fault, times: Number.POSITIVE_INFINITY } : fault;
}

/**
 * The admin API under /__admin, so another process (a demo app, a benchmark) can read counters,
 * inject faults and skew the clock. JSON in and out; no authentication: it is a local dev tool.
 */
export function adminMount({ stats, faults, clock, info, apiRequests, rotateSecret }: AdminOptions): Mount {
  const clockState = (): Reply => json(200, { skewMs: clock.skewMs(), now: clock.now() });

  async function injectFault(ctx: RequestContext): Promise<Reply> {
    const read = await readObject(ctx);
    if (!read.ok) return read.reply;
    const { endpoint, fault } = read.body;
    if (!isEndpointName(endpoint)) return adminError(400, `Unknown endpoint: ${String(endpoint)}`);
    if (fault === undefined) return adminError(400, 'fault is required');
    try {
      // inject validates each fault; a bad one is a 400, not a crash.
      faults.inject(endpoint, (Array.isArray(fault) ? fault.map(reviveTimes) : reviveTimes(fault)) as Fault | Fault[]);
    } catch (error) {
      return adminError(400, (error as Error).message);
    }
    return json(201, { pending: faults.pending()[endpoint] ?? [] });
  }

  function clearFaults(ctx: RequestContext): Reply {
    const endpoint = new URLSearchParams(ctx.query).get('endpoint');
    if (endpoint !== null && !isEndpointName(endpoint)) return adminError(400, `Unknown endpoint: ${endpoint}`);
    faults.clear(endpoint ?? undefined);
    return json(200, { pending: faults.pending() });
  }

  async function setClock(ctx: RequestContext): Promise<Reply> {
    const read = await readObject(ctx);
    if (!read.ok) return read.reply;
    const { skewMs } = read.body;
    if (typeof skewMs !== 'number' || !Number.isFinite(skewMs)) return adminError(400, 'skewMs must be a finite number');
    clock.setSkewMs(skewMs);
    return clockState();
  }

  async function rotate(ctx: RequestContext): Promise<Reply> {
    const read = await readObject(ctx);
    if (!read.ok) return read.reply;
    const { provider } = read.body;
    if (!providerNames.includes(provider as ProviderName)) return adminError(400, `Unknown provider: ${String(provider)}`);
    return json(200, { provider, secret: rotateSecret(provider as ProviderName) });
  }

  return {
    prefix: '/__admin',
    error: adminError,
    routes: [
      { method: 'GET', path: '/stats', handle: () => json(200, stats.snapshot()) },
      {
        method: 'POST',
        path: '/stats/reset',
        handle: () => {
          stats.reset();
          return json(200, stats.snapshot());
        },
      },
      { method: 'GET', path: '/faults', handle: () => json(200, { pending: faults.pending() }) },
      { method: 'POST', path: '/faults', handle: injectFault },
      { method: 'DELETE', path: '/faults', handle: clearFaults },
      { method: 'GET', path: '/clock', handle: clockState },
      { method: 'POST', path: '/clock', handle: setClock },
      { method: 'GET', path: '/info', handle: () => json(200, info) },
      { method: 'POST', path: '/credentials/rotate', handle: rotate },
      {
        method: 'GET',
        path: '/api-requests',
        handle: () => json(200, { summary: apiRequests.summary(), requests: apiRequests.list() }),
      },
      {
        method: 'DELETE',
        path: '/api-requests',
        handle: () => {
          apiRequests.clear();
          return json(200, { summary: apiRequests.summary(), requests: [] });
        },
      },
    ],
  };
}
