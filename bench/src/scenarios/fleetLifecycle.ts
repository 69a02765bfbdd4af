// Scenario 6, second table: the fleet when it changes (a deploy after a Redis restart, a lock
// holder killed mid-request, Redis restarted), against a redis-server of our own: SCRIPT FLUSH
// and restarts must not touch a shared Redis.
import { randomBytes } from 'node:crypto';
import { startPrivateRedis, type PrivateRedis } from '../../../packages/redis/test/privateRedis.js';
import type { BenchSandbox } from '../sandbox/types.js';
import { ms, num } from '../util/format.js';
import { sleep, within } from '../util/time.js';
import { expect, spawnWorker, stopWorkers, type Worker } from './fleetProcess.js';
import type { PrepareMessage } from './fleetWorker.js';
import type { Check, Table } from './types.js';

export interface LifecycleOptions {
  instances: number;
  callers: number;
}

export type LifecycleCase = 'clean-exit' | 'holder-killed' | 'redis-restarted';

export interface LifecycleRow {
  case: LifecycleCase;
  /** Token requests the sandbox received for the measured burst (the hung one excluded). */
  upstream: number;
  /** From the start of the measured burst (or the kill) until every caller had a token. */
  serveMs: number;
  errors: number;
}

export type LifecycleResult = { rows: LifecycleRow[]; skipped?: undefined } | { rows: []; skipped: string };

interface Fleet {
  workers: Worker[];
  /** A new client (and key prefix) in every instance. */
  prepare(prepare: Omit<PrepareMessage, 'type'>): Promise<void>;
  burst(exitAfter?: boolean): Promise<{ errors: number; wallMs: number }>;
}

function fleetOps(workers: Worker[]): Omit<Fleet, 'workers'> {
  return {
    async prepare(prepare) {
      for (const w of workers) w.send({ type: 'prepare', ...prepare });
      await Promise.all(workers.map((w) => expect(w, 'ready', 'fleet worker prepare')));
    },
    async burst(exitAfter = false) {
      const started = performance.now();
      for (const w of workers) w.send({ type: 'go', exitAfter });
      const done = await Promise.all(workers.map((w) => expect(w, 'done', 'fleet worker burst')));
      return { errors: done.reduce((n, d) => n + d.errors, 0), wallMs: performance.now() - started };
    },
  };
}

async function startFleet(n: number, prepare: Omit<PrepareMessage, 'type'>): Promise<Fleet> {
  const workers = Array.from({ length: n }, spawnWorker);
  await Promise.all(workers.map((w) => expect(w, 'hello', 'fleet worker start')));
  const fleet = { workers, ...fleetOps(workers) };
  await fleet.prepare(prepare);
  return fleet;
}

const exited = (w: Worker) => (w.child.exitCode !== null || w.child.signalCode !== null ? Promise.resolve() : new Promise((r) => w.child.once('exit', r)));

/**
 * `sandbox` must issue short-lived tokens (the bench's short-TTL sandbox): the deploy and restart
 * rows wait for the first token to expire.
 */
export async function runFleetLifecycle(sandbox: BenchSandbox, ttlSeconds: number, options: LifecycleOptions, log: (line: string) => void = () => {}): Promise<LifecycleResult> {
  let server: PrivateRedis;
  try {
    server = await startPrivateRedis();
  } catch (error) {
    return { rows: [], skipped: `could not start a private redis-server (${(error as Error).message})` };
  }
  const fleets: Worker[][] = [];
  const base = () => ({ tokenUrl: sandbox.tokenUrl, ...sandbox.credentials, redisUrl: server.url, prefix: `fintoken-bench:${randomBytes(4).toString('hex')}:`, shared: true, callers: options.callers });
  const fleetOf = async (prepare: Omit<PrepareMessage, 'type'>) => {
    const fleet = await startFleet(options.instances, prepare);
    fleets.push(fleet.workers);
    return fleet;
  };
  const rows: LifecycleRow[] = [];
  const row = (r: LifecycleRow) => {
    rows.push(r);
    log(`  fleet ${r.case}: ${r.upstream} token requests, served in ${r.serveMs.toFixed(0)} ms, ${r.errors} errors`);
  };
  try {
    // Fleet A on a Redis with no cached scripts fetches once and exits; fleet B comes up after expiry.
    const { Redis } = await import('ioredis');
    const admin = new Redis(server.url);
    await admin.script('FLUSH');
    admin.disconnect();
    const first = base();
    const a = await fleetOf(first);
    await a.burst(true);
    await within(Promise.all(a.workers.map(exited)), 10_000, 'fleet A exit');
    await sleep(ttlSeconds * 1_000 + 250);
    const b = await fleetOf(first);
    await sandbox.reset();
    const deploy = await b.burst();
    row({ case: 'clean-exit', upstream: await sandbox.count('layer1.token'), serveMs: deploy.wallMs, errors: deploy.errors });

    // Fleet B, on a new key: the holder's token request hangs; it is SIGKILLed; the survivors must share one request.
    await b.prepare(base());
    await sandbox.reset();
    await sandbox.inject('layer1.token', { hang: true, times: 1 });
    const waitsBefore = b.workers.map((w) => w.waits);
    const waited = () => b.workers.filter((w, i) => w.waits > (waitsBefore[i] as number));
    for (const w of b.workers) w.send({ type: 'go' });
    const deadline = Date.now() + 20_000;
    // Killed only once its request has reached the sandbox (and hangs there).
    while ((waited().length < b.workers.length - 1 || (await sandbox.count('layer1.token')) === 0) && Date.now() < deadline) await sleep(20);
    const holder = b.workers.find((w) => !waited().includes(w));
    if (holder === undefined) throw new Error('no lock holder among the fleet');
    holder.child.kill('SIGKILL');
    const killedAt = performance.now();
    const survivors = b.workers.filter((w) => w !== holder);
    const done = await Promise.all(survivors.map((w) => expect(w, 'done', 'fleet survivor')));
    await sandbox.clearFaults();
    row({ case: 'holder-killed', upstream: (await sandbox.count('layer1.token')) - 1, serveMs: performance.now() - killedAt, errors: done.reduce((n, d) => n + d.errors, 0) });

    // The survivors, on a new key, warm; then Redis dies and comes back empty on its port; the next window after expiry.
    const c = { workers: survivors, ...fleetOps(survivors) };
    await c.prepare(base());
    await c.burst();
    await server.restart();
    // ioredis reconnects with a backoff of up to 2 s; the cached token expires meanwhile.
    await sleep(Math.max(ttlSeconds * 1_000, 2_500) + 500);
    await sandbox.reset();
    const restarted = await c.burst();
    row({ case: 'redis-restarted', upstream: await sandbox.count('layer1.token'), serveMs: restarted.wallMs, errors: restarted.errors });
  } finally {
    await Promise.all(fleets.map(stopWorkers));
    await server.kill();
  }
  return { rows };
}

const labels: Record<LifecycleCase, string> = {
  'clean-exit': 'restart after a clean exit (fresh Redis, SCRIPT FLUSH)',
  'holder-killed': 'holder killed (SIGKILL mid-request)',
  'redis-restarted': 'Redis restarted (empty, same port)',
};

/** The lifecycle table, its verdict lines and its checks, for scenario 6's report. */
export function reportFleetLifecycle(result: LifecycleResult, options: LifecycleOptions): { what: string; tables: Table[]; verdict: string[]; checks: Check[] } {
  const what = `**When the fleet changes** (second table): ${options.instances} processes × ${options.callers} callers on a redis-server of the bench's own, 2 s tokens, the store's default lock lease (5 s). *Restart after a clean exit*: on a Redis with no cached scripts, fleet A fetches a token and exits at once (\`store.quit()\`); after the token expired, fleet B starts: token requests and time until every caller of B had a token. *Holder killed*: the lock holder's token request hangs and the holder is SIGKILLed; token requests of the survivors and time from the kill until all were served. *Redis restarted*: after a warm burst Redis is killed and started empty on the same port; the next burst after expiry.`;
  if (result.skipped !== undefined) {
    return { what, tables: [], verdict: [`Lifecycle rows skipped: ${result.skipped}.`], checks: [{ name: 'fleet lifecycle: 1 token request per change', pass: false, detail: 'skipped' }] };
  }
  const table: Table = {
    headers: ['when the fleet changes', 'token requests', 'time to serve', 'failed calls'],
    rows: result.rows.map((r) => [labels[r.case], num(r.upstream), ms(r.serveMs), num(r.errors)]),
  };
  const ones = result.rows.every((r) => r.upstream === 1 && r.errors === 0);
  const verdict = [
    ones
      ? `Through a deploy on a fresh Redis, a killed lock holder and a Redis restart the fleet made exactly 1 token request each time, with no failed call; a killed holder costs about one lock lease (${ms(result.rows.find((r) => r.case === 'holder-killed')?.serveMs ?? 0)}).`
      : `The fleet did NOT make exactly 1 token request on every change (${result.rows.map((r) => `${r.case}: ${r.upstream}`).join(', ')}).`,
  ];
  return { what, tables: [table], verdict, checks: [{ name: 'fleet lifecycle: 1 token request per change', pass: ones, detail: result.rows.map((r) => `${r.case}: ${r.upstream}`).join(', ') }] };
}
