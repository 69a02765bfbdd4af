// Scenario 13: the fleet of scenario 6 on a Redis Cluster (3 masters + 3 replicas started here on
// free loopback ports, as the redis package's cluster tests do): a cold burst, and steady load
// while the master that serves the fleet's token is SIGKILLed and its replica takes over.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { Cluster } from 'ioredis';
import { startCluster, type TestCluster } from '../../../packages/redis/test/redisCluster.js';
import type { BenchSandbox } from '../sandbox/types.js';
import { lowerIsBetter } from '../util/compare.js';
import { count, ms, num } from '../util/format.js';
import { median } from '../util/stats.js';
import { sleep, within } from '../util/time.js';
import { coldBurst, coldBurstTable, expect, spawnWorker, stopWorkers, type Worker } from './fleetProcess.js';
import type { PrepareMessage, WorkerMessage } from './fleetWorker.js';
import type { Check, ScenarioReport, Table } from './types.js';

export interface ClusterFleetOptions {
  /** Child processes, each with its own ioredis `Cluster` connection. */
  instances: number;
  /** Cold rows: concurrent `getToken()` calls per instance, signalled at once. */
  callers: number;
  rounds: number;
  /** Failover rows: callers per instance looping `getToken()` + `pauseMs` for `loadMs`. */
  loadCallers: number;
  loadMs: number;
  pauseMs: number;
  /** When, after the load started, the master serving the fleet's token is SIGKILLed. */
  killAfterMs: number;
}

type ColdMode = 'shared' | 'alone';

export interface ClusterColdRow {
  mode: ColdMode;
  upstream: number[];
  distinctTokens: number[];
  errors: number[];
  wallMs: number[];
}

export interface ClusterLoadRow {
  run: 'baseline' | 'failover';
  /** Token requests the sandbox received during the run. */
  upstream: number;
  /** Per instance: its own token endpoint calls during the run. */
  perInstance: number[];
  calls: number;
  failed: number;
  /** Tokens handed out with `expiresAt` already past. */
  expired: number;
  storeErrors: number;
  durationMs: number;
  /** Failover run: SIGKILL of the key's master until `failedOver` resolved (every slot served again). */
  failoverMs?: number;
  /** Failover run: the most token requests one instance made between the kill and the failover. */
  maxOwnDuringFailover?: number;
  errorSample?: string;
  /** How late the first expired token was, and the instance's events before it. */
  expiredSample?: string;
}

export type ClusterFleetResult =
  | { cold: ClusterColdRow[]; load: ClusterLoadRow[]; ttlSeconds: number; skipped?: undefined }
  | { cold: []; load: []; ttlSeconds: number; skipped: string };

const run = promisify(execFile);

async function missingBinary(): Promise<string | undefined> {
  for (const binary of ['redis-server', 'redis-cli']) {
    try {
      await run(binary, ['--version'], { timeout: 5_000 });
    } catch {
      return `${binary} is not on PATH`;
    }
  }
  return undefined;
}

async function prepareAll(workers: Worker[], prepare: Omit<PrepareMessage, 'type'>): Promise<void> {
  for (const w of workers) w.send({ type: 'prepare', ...prepare });
  await Promise.all(workers.map((w) => expect(w, 'ready', 'cluster fleet worker prepare')));
}

/** The fleet's token entry (`{prefix}{key}:token`), looked up on every master (KEYS is per node). */
async function tokenEntry(raw: Cluster, prefix: string): Promise<string | undefined> {
  const keys = await Promise.all(raw.nodes('master').map((node) => node.keys(`${prefix}*`)));
  return keys.flat().find((k) => k.endsWith(':token'));
}

/**
 * `shortTtl` must issue short-lived tokens (the bench's short-TTL sandbox, `ttlSeconds`): the
 * failover rows need tokens that expire, and are refreshed, while the slot has no master.
 */
export async function runClusterFleet(
  sandbox: BenchSandbox,
  shortTtl: () => Promise<BenchSandbox>,
  ttlSeconds: number,
  options: ClusterFleetOptions,
  log: (line: string) => void = () => {},
): Promise<ClusterFleetResult> {
  const missing = await missingBinary();
  if (missing !== undefined) return { cold: [], load: [], ttlSeconds, skipped: missing };
  let cluster: TestCluster;
  try {
    cluster = await within(startCluster(), 60_000, 'Redis Cluster start');
  } catch (error) {
    return { cold: [], load: [], ttlSeconds, skipped: `could not start a Redis Cluster (${(error as Error).message})` };
  }
  const runId = `fintoken-bench:${process.pid}:${randomBytes(4).toString('hex')}:`;
  const clusterNodes = cluster.nodes.map(({ host, port }) => ({ host, port }));
  const raw = new Cluster(clusterNodes);
  raw.on('error', () => undefined);
  let workers: Worker[] = [];
  const cold: ClusterColdRow[] = (['shared', 'alone'] as const).map((mode) => ({ mode, upstream: [], distinctTokens: [], errors: [], wallMs: [] }));
  const load: ClusterLoadRow[] = [];
  try {
    await within(raw.ping(), 10_000, 'cluster admin connection');
    workers = Array.from({ length: options.instances }, spawnWorker);
    await Promise.all(workers.map((w) => expect(w, 'hello', 'cluster fleet worker start')));

    // Cold: every instance signalled at once, a new prefix per round (the shared cache starts cold).
    for (let round = 0; round < options.rounds; round += 1) {
      for (const row of cold) {
        const prefix = `${runId}cold:${round}:${row.mode}:`;
        const shared = row.mode === 'shared';
        await prepareAll(workers, { tokenUrl: sandbox.tokenUrl, ...sandbox.credentials, redisUrl: '', prefix, shared, callers: options.callers, ...(shared ? { clusterNodes } : {}) });
        await coldBurst(workers, sandbox, row, 'cluster fleet cold', log);
      }
    }

    // Failover: the same steady load twice, without and with a SIGKILL of the token's master.
    const short = await shortTtl();
    for (const kind of ['baseline', 'failover'] as const) {
      const prefix = `${runId}load:${kind}:`;
      await prepareAll(workers, { tokenUrl: short.tokenUrl, ...short.credentials, redisUrl: '', prefix, shared: true, callers: options.loadCallers, clusterNodes });
      const row = await within(loadRun(kind, workers, short, cluster, raw, prefix, options), options.loadMs + 60_000, `cluster fleet ${kind} run`);
      load.push(row);
      const failover = row.failoverMs === undefined ? '' : `, failover ${row.failoverMs.toFixed(0)} ms, at most ${row.maxOwnDuringFailover} request(s) of one instance meanwhile`;
      log(`  cluster fleet ${kind}: ${row.upstream} token requests (per instance ${row.perInstance.join('/')}), ${row.calls} calls, ${row.failed} failed, ${row.expired} expired, ${row.storeErrors} store errors${failover}${row.errorSample ? ` (${row.errorSample})` : ''}${row.expiredSample ? ` [${row.expiredSample}]` : ''}`);
    }
  } finally {
    await stopWorkers(workers);
    raw.disconnect();
    await cluster.close();
  }
  return { cold, load, ttlSeconds };
}

async function loadRun(kind: ClusterLoadRow['run'], workers: Worker[], sandbox: BenchSandbox, cluster: TestCluster, raw: Cluster, prefix: string, options: ClusterFleetOptions): Promise<ClusterLoadRow> {
  await sandbox.reset();
  const started = Date.now();
  for (const w of workers) w.send({ type: 'load', concurrency: options.loadCallers, durationMs: options.loadMs, pauseMs: options.pauseMs });
  const loads = Promise.all(workers.map((w) => expect(w, 'loaded', `cluster fleet ${kind} load`)));
  // Awaited below; a failure of the kill must not leave it unhandled meanwhile.
  loads.catch(() => undefined);
  let window: { killedAt: number; failedOverAt: number } | undefined;
  if (kind === 'failover') {
    await sleep(options.killAfterMs);
    const entry = await tokenEntry(raw, prefix);
    if (entry === undefined) throw new Error(`no token entry under ${prefix} on any master`);
    const master = await cluster.masterOf(entry);
    const killedAt = Date.now();
    await cluster.kill(master);
    await cluster.failedOver(entry, master, 30_000);
    window = { killedAt, failedOverAt: Date.now() };
  }
  const stats: Extract<WorkerMessage, { type: 'loaded' }>[] = await loads;
  const durationMs = Date.now() - started;
  const row: ClusterLoadRow = {
    run: kind,
    upstream: await sandbox.count('layer1.token'),
    perInstance: stats.map((s) => s.fetches.length),
    calls: stats.reduce((n, s) => n + s.calls, 0),
    failed: stats.reduce((n, s) => n + s.failed, 0),
    expired: stats.reduce((n, s) => n + s.expired, 0),
    storeErrors: stats.reduce((n, s) => n + s.storeErrors, 0),
    durationMs,
  };
  const sample = stats.find((s) => s.errorSample !== undefined)?.errorSample;
  if (sample !== undefined) row.errorSample = sample;
  const expiredSample = stats.find((s) => s.expiredSample !== undefined)?.expiredSample;
  if (expiredSample !== undefined) row.expiredSample = expiredSample;
  if (window !== undefined) {
    const { killedAt, failedOverAt } = window;
    row.failoverMs = failedOverAt - killedAt;
    row.maxOwnDuringFailover = Math.max(...stats.map((s) => s.fetches.filter((at) => at >= killedAt && at < failedOverAt).length));
  }
  return row;
}

export function reportClusterFleet(result: ClusterFleetResult, options: ClusterFleetOptions): ScenarioReport {
  const base = {
    id: 'cluster-fleet',
    title: `13. Cluster fleet: ${options.instances} processes on a Redis Cluster (3 masters + 3 replicas), cold and failover`,
    what: [
      `A Redis Cluster of 3 masters and 3 replicas is started on free loopback ports (\`packages/redis/test/redisCluster.ts\`: \`redis-cli --cluster create\`, \`cluster-node-timeout\` 1 s), and ${options.instances} child processes each connect their own ioredis \`new Cluster(nodes)\` (ioredis' defaults) and use \`createRedisStore({ client: cluster, prefix })\` with the store's defaults. The store's keys are hash-tagged, so a token's entry and its lock live on one master.`,
      `**Cold** (first table): each instance fires ${options.callers} concurrent \`getToken()\` calls on a signal sent to all at once, a new key prefix per round; **token requests** is what the sandbox received for the whole fleet, **distinct tokens** how many different tokens its callers got; *in-memory cache only* is the same fleet without a store. Medians over ${count(options.rounds, 'round')}.`,
      `**Failover** (second table): ${result.ttlSeconds} s tokens (the short-TTL sandbox); each instance runs ${options.loadCallers} callers looping \`getToken()\` with a ${options.pauseMs} ms pause for ${ms(options.loadMs)}. *Baseline* is that run on a healthy cluster; in the *failover* run the master that serves the fleet's token entry is SIGKILLed ${ms(options.killAfterMs)} in. **Failed calls** are rejected \`getToken()\` calls, **expired tokens** tokens returned with \`expiresAt\` already past, **failover time** runs from the SIGKILL until every slot is served again (the replica promoted); **most requests of one instance during the failover** counts an instance's own token endpoint calls in that window.`,
    ],
  };
  if (result.skipped !== undefined) {
    const detail = 'skipped';
    return {
      ...base,
      tables: [],
      verdict: [`Skipped: ${result.skipped}. Install redis-server and redis-cli (Redis 7) to run it.`],
      losses: [],
      checks: [
        { name: 'cluster fleet: 1 token request per cold fleet', pass: false, detail },
        { name: 'cluster failover: 0 failed calls, 0 expired tokens', pass: false, detail },
        { name: 'cluster failover: ≤ 1 extra token request per instance', pass: false, detail },
      ],
      data: result,
    };
  }
  const shared = result.cold.find((r) => r.mode === 'shared') as ClusterColdRow;
  const alone = result.cold.find((r) => r.mode === 'alone') as ClusterColdRow;
  const coldTable = coldBurstTable([
    { label: 'fintoken + @fintoken/redis on the cluster', row: shared },
    { label: 'fintoken, in-memory cache only', row: alone },
  ]);
  const baseline = result.load.find((r) => r.run === 'baseline') as ClusterLoadRow;
  const failover = result.load.find((r) => r.run === 'failover') as ClusterLoadRow;
  const extra = failover.upstream - baseline.upstream;
  const loadTable: Table = {
    headers: ['run', 'token requests', 'extra over baseline', 'per instance', 'calls', 'failed calls', 'expired tokens', 'store errors', 'failover time', 'most requests of one instance during the failover'],
    rows: [baseline, failover].map((r) => [
      r.run === 'baseline' ? `baseline (no kill, ${ms(r.durationMs)})` : `failover (key's master SIGKILLed, ${ms(r.durationMs)})`,
      num(r.upstream),
      r.run === 'baseline' ? '–' : `${extra >= 0 ? '+' : ''}${num(extra)}`,
      r.perInstance.join(' / '),
      num(r.calls),
      num(r.failed),
      num(r.expired),
      num(r.storeErrors),
      r.failoverMs === undefined ? '–' : ms(r.failoverMs),
      r.maxOwnDuringFailover === undefined ? '–' : num(r.maxOwnDuringFailover),
    ]),
  };

  const coldMet = shared.upstream.every((n) => n === 1) && shared.errors.every((n) => n === 0);
  const safeMet = failover.failed === 0 && failover.expired === 0 && baseline.failed === 0 && baseline.expired === 0;
  const extraMet = extra <= options.instances;
  const coldLine = coldMet
    ? `Cold, on the cluster: the fleet (${num(options.instances * options.callers)} callers) made exactly 1 token request in every round, with no failed call (target 1: met). Without the store: ${num(median(alone.upstream))} (one per instance).`
    : `Cold, on the cluster: the fleet did NOT make exactly 1 token request with no failed call in every round (requests ${shared.upstream.join(', ')}; failed ${shared.errors.join(', ')}) (target 1: NOT met).`;
  const safeLine = safeMet
    ? `Failover: killing the master of the fleet's token cost no failed call and handed out no expired token (${num(failover.calls)} calls; failover took ${ms(failover.failoverMs ?? Number.NaN)}) (target 0 and 0: met).`
    : `Failover: ${num(failover.failed)} failed calls and ${num(failover.expired)} expired tokens with the master killed (baseline: ${num(baseline.failed)} and ${num(baseline.expired)})${failover.errorSample ? `, e.g. "${failover.errorSample}"` : ''} (target 0 and 0: NOT met).`;
  const extraLine = extraMet
    ? `Failover: ${num(failover.upstream)} token requests against ${num(baseline.upstream)} without the kill, ${extra >= 0 ? '+' : ''}${num(extra)} for ${options.instances} instances (target at most +${options.instances}, one per instance: met).`
    : `Failover: ${num(failover.upstream)} token requests against ${num(baseline.upstream)} without the kill, +${num(extra)} for ${options.instances} instances (target at most +${options.instances}, one per instance: NOT met); while the slot had no master each instance fetched on its own, up to ${num(failover.maxOwnDuringFailover ?? Number.NaN)} times in the ${ms(failover.failoverMs ?? Number.NaN)} failover with ${result.ttlSeconds} s tokens.`;
  const verdict = [coldLine, safeLine, extraLine];
  const losses: string[] = [];
  if (!safeMet) losses.push(safeLine);
  if (!extraMet) losses.push(extraLine);
  if (lowerIsBetter(median(shared.wallMs), median(alone.wallMs)) === 'loss') {
    const line = `On the cluster the shared store costs cold wall time (${ms(median(shared.wallMs))} with it, ${ms(median(alone.wallMs))} without): instances that lose the lock wait for the winner's token.`;
    verdict.push(line);
    losses.push(line);
  }
  const checks: Check[] = [
    { name: 'cluster fleet: 1 token request per cold fleet', pass: coldMet, detail: `per round: ${shared.upstream.join(', ')}; failed calls: ${shared.errors.join(', ')}` },
    { name: 'cluster failover: 0 failed calls, 0 expired tokens', pass: safeMet, detail: `failed ${failover.failed}, expired ${failover.expired} (baseline: ${baseline.failed}, ${baseline.expired})` },
    { name: 'cluster failover: ≤ 1 extra token request per instance', pass: extraMet, detail: `${failover.upstream} vs ${baseline.upstream} baseline (${extra >= 0 ? '+' : ''}${extra}, at most +${options.instances})` },
  ];
  return { ...base, tables: [coldTable, loadTable], verdict, losses, checks, data: { options, ...result } };
}
