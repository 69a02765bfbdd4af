import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { BenchSandbox } from '../sandbox/types.js';
import { median } from '../util/stats.js';
import { ms, num, count } from '../util/format.js';
import { within } from '../util/time.js';
import { coldBurst, coldBurstTable, expect, spawnWorker, stopWorkers } from './fleetProcess.js';
import type { ParentMessage } from './fleetWorker.js';
import { lowerIsBetter } from '../util/compare.js';
import type { ScenarioReport } from './types.js';
import { reportFleetLifecycle, type LifecycleOptions, type LifecycleResult } from './fleetLifecycle.js';

export interface FleetOptions {
  instances: number;
  callers: number;
  rounds: number;
  redisUrl: string;
}

type Mode = 'shared' | 'alone';

export interface FleetRow {
  mode: Mode;
  upstream: number[];
  distinctTokens: number[];
  errors: number[];
  wallMs: number[];
}

export type FleetResult = { rows: FleetRow[]; skipped?: undefined } | { rows: []; skipped: string };

export async function redisReachable(url: string): Promise<string | undefined> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 2_000 });
  redis.on('error', () => {});
  try {
    await redis.connect();
    await redis.ping();
    return undefined;
  } catch (error) {
    return `Redis not reachable at ${new URL(url).host} (${(error as Error).message})`;
  } finally {
    redis.disconnect();
  }
}

export async function deleteByPrefix(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

export async function runFleet(sandbox: BenchSandbox, options: FleetOptions, log: (line: string) => void = () => {}): Promise<FleetResult> {
  const unreachable = await redisReachable(options.redisUrl);
  if (unreachable !== undefined) return { rows: [], skipped: unreachable };
  const runId = `fintoken-bench:${process.pid}:${randomBytes(4).toString('hex')}:`;
  const workers = Array.from({ length: options.instances }, spawnWorker);
  const rows: FleetRow[] = (['shared', 'alone'] as const).map((mode) => ({ mode, upstream: [], distinctTokens: [], errors: [], wallMs: [] }));
  try {
    await Promise.all(workers.map((w) => expect(w, 'hello', 'fleet worker start')));
    for (let round = 0; round < options.rounds; round += 1) {
      for (const row of rows) {
        // A new prefix per round: every round starts with a cold shared cache.
        const prefix = `${runId}${round}:${row.mode}:`;
        const prepare: ParentMessage = { type: 'prepare', tokenUrl: sandbox.tokenUrl, ...sandbox.credentials, redisUrl: options.redisUrl, prefix, shared: row.mode === 'shared', callers: options.callers };
        for (const w of workers) w.send(prepare);
        await Promise.all(workers.map((w) => expect(w, 'ready', 'fleet worker prepare')));
        await coldBurst(workers, sandbox, row, 'fleet', log);
      }
    }
  } finally {
    await stopWorkers(workers);
    await deleteByPrefix(options.redisUrl, runId).catch(() => undefined);
  }
  return { rows };
}

export function reportFleet(result: FleetResult, options: FleetOptions, lifecycle?: LifecycleResult, lifecycleOptions: LifecycleOptions = options): ScenarioReport {
  const changes = lifecycle === undefined ? undefined : reportFleetLifecycle(lifecycle, lifecycleOptions);
  const report = reportColdFleet(result, options);
  if (changes === undefined) return report;
  return {
    ...report,
    what: [...report.what, changes.what],
    tables: [...report.tables, ...changes.tables],
    verdict: [...report.verdict, ...changes.verdict],
    checks: [...report.checks, ...changes.checks],
    data: { cold: report.data, lifecycle },
  };
}

function reportColdFleet(result: FleetResult, options: FleetOptions): ScenarioReport {
  const base = {
    id: 'fleet',
    title: `6. Fleet: ${options.instances} processes × ${options.callers} concurrent callers, cold cache`,
    what: [
      `${options.instances} child processes each create a Layer1 client and, on a signal sent to all at once, start ${options.callers} concurrent \`getToken()\` calls. **shared**: every client uses \`createRedisStore({ client: new Redis(REDIS_URL), prefix })\` (a new prefix per round, so the shared cache starts cold); **alone**: no store, each process has only its in-memory cache. **token requests** is what the sandbox received for the whole fleet; **distinct tokens** is how many different access tokens the fleet's callers ended up with. Medians over ${count(options.rounds, 'round')}.`,
    ],
  };
  if (result.skipped !== undefined) {
    return { ...base, tables: [], verdict: [`Skipped: ${result.skipped}. Start Redis or set REDIS_URL.`], losses: [], checks: [{ name: 'fleet: 1 token request with the shared store', pass: false, detail: 'skipped' }], data: result };
  }
  const shared = result.rows.find((r) => r.mode === 'shared') as FleetRow;
  const alone = result.rows.find((r) => r.mode === 'alone') as FleetRow;
  const table = coldBurstTable([
    { label: 'fintoken + @fintoken/redis (shared store)', row: shared },
    { label: 'fintoken, in-memory cache only', row: alone },
  ]);
  const exact = shared.upstream.every((n) => n === 1);
  const verdict = [
    exact
      ? `With the shared Redis store the whole fleet (${num(options.instances * options.callers)} callers) made exactly 1 token request in every round; one instance took the lock, the others waited for its token.`
      : `With the shared store the fleet did NOT make exactly 1 token request in every round (${shared.upstream.join(', ')}).`,
    `Without it, each process makes its own: ${num(median(alone.upstream))} (expected ${options.instances}).`,
  ];
  const losses: string[] = [];
  if (lowerIsBetter(median(shared.wallMs), median(alone.wallMs)) === 'loss') {
    const line = `The shared store costs wall time (${ms(median(shared.wallMs))} with it, ${ms(median(alone.wallMs))} without): instances that lose the lock wait for the winner's token to appear in Redis.`;
    verdict.push(line);
    losses.push(line);
  }
  return {
    ...base,
    tables: [table],
    verdict,
    losses,
    checks: [{ name: 'fleet: 1 token request with the shared store', pass: exact, detail: `per round: ${shared.upstream.join(', ')}` }],
    data: { options: { ...options, redisUrl: undefined }, ...result },
  };
}
