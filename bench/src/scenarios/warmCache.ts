import { Bench } from 'tinybench';
import { allPeers } from '../peers/index.js';
import type { PeerDefinition } from '../peers/types.js';
import type { BenchSandbox } from '../sandbox/types.js';
import { median, ratio } from '../util/stats.js';
import { num, times, count } from '../util/format.js';
import { lowerIsBetter } from '../util/compare.js';
import { peerConfigOf, type ScenarioReport } from './types.js';

export interface WarmCacheOptions {
  rounds: number;
  /** tinybench `time` per task and round, for cached calls. */
  timeMs: number;
  /** Calls per tinybench iteration for cached calls (amortises the timer read). */
  batch: number;
  /** tinybench `time` per round for peers that request a token on every call. */
  slowTimeMs: number;
  peers?: readonly PeerDefinition[];
}

type Kind = 'floor-sync' | 'floor-async' | 'cached' | 're-request';

interface Task {
  name: string;
  measures: string;
  kind: Kind;
  batch: number;
  fn: () => unknown;
}

export interface WarmCacheRow {
  name: string;
  measures: string;
  kind: Kind;
  /** Calls per second, one value per round (median batch latency of that round). */
  opsPerSecond: number[];
  /** Token requests the sandbox received while this row was measured (all rounds). */
  upstreamDuringMeasurement: number;
}

// Each loop is compiled from its own source so V8 keeps separate inline caches per task; loops
// made by one closure factory would share feedback and go megamorphic across libraries.
function asyncLoop(call: () => Promise<unknown>, batch: number): () => Promise<void> {
  const make = new Function('call', 'batch', 'out', 'return async function batchOfCalls() { for (let i = 0; i < batch; i++) out.sink = await call(); };');
  return make(call, batch, { sink: undefined }) as () => Promise<void>;
}

function syncLoop(call: () => unknown, batch: number): () => void {
  const make = new Function('call', 'batch', 'out', 'return function batchOfCalls() { for (let i = 0; i < batch; i++) out.sink = call(); };');
  return make(call, batch, { sink: undefined }) as () => void;
}

interface Cached {
  accessToken: string;
  expiresAt: number;
}

/** The floor: what no cache can beat, a `Map.get` and an expiry compare. */
function floors(batch: number): Task[] {
  const map = new Map<string, Cached>([['layer1:default:client', { accessToken: 'x'.repeat(600), expiresAt: Date.now() + 3_600_000 }]]);
  const floorSync = (): Cached => {
    const entry = map.get('layer1:default:client');
    if (entry !== undefined && Date.now() < entry.expiresAt) return entry;
    throw new Error('expired');
  };
  const floorAsync = async (): Promise<Cached> => {
    const entry = map.get('layer1:default:client');
    if (entry !== undefined && Date.now() < entry.expiresAt) return entry;
    throw new Error('expired');
  };
  return [
    { name: 'floor (sync)', measures: '`map.get(key)` + `Date.now() < expiresAt`, called synchronously', kind: 'floor-sync', batch, fn: syncLoop(floorSync, batch) },
    { name: 'floor (async)', measures: 'the same body in an `async` function, awaited', kind: 'floor-async', batch, fn: asyncLoop(floorAsync, batch) },
  ];
}

function taskOf(peer: PeerDefinition, sandbox: BenchSandbox, options: WarmCacheOptions) {
  const instance = peer.create(peerConfigOf(sandbox));
  const reRequests = peer.caching === 'none';
  const batch = reRequests ? 1 : options.batch;
  const task: Task = {
    name: peer.name,
    measures: `\`await ${peer.api}\`${reRequests ? ' (no cache: one token request per call)' : ' on a warm cache'}`,
    kind: reRequests ? 're-request' : 'cached',
    batch,
    fn: asyncLoop(instance.getToken, batch),
  };
  return { task, instance };
}

async function measure(task: Task, timeMs: number): Promise<number> {
  const bench = new Bench({ time: timeMs, warmupTime: Math.min(200, timeMs / 2), iterations: 16, warmupIterations: 8 });
  bench.add(task.name, task.fn);
  await bench.run();
  const result = bench.tasks[0]?.result;
  if (result === undefined || result.error !== undefined) throw new Error(`warm-cache ${task.name}: ${result?.error?.message ?? 'no result'}`);
  // Median batch latency: robust to the odd GC pause inside one batch.
  const p50 = result.latency.p50 ?? result.latency.mean;
  return (task.batch * 1000) / p50;
}

export async function runWarmCache(sandbox: BenchSandbox, options: WarmCacheOptions, log: (line: string) => void = () => {}): Promise<WarmCacheRow[]> {
  const peers = options.peers ?? allPeers;
  const made = peers.map((peer) => taskOf(peer, sandbox, options));
  // Warm every cache before measuring: one token each.
  for (const { instance } of made) await instance.getToken();
  const tasks = [...floors(options.batch), ...made.map((m) => m.task)];
  const rows: WarmCacheRow[] = tasks.map((t) => ({ name: t.name, measures: t.measures, kind: t.kind, opsPerSecond: [], upstreamDuringMeasurement: 0 }));
  for (let round = 0; round < options.rounds; round += 1) {
    // Rotate the order each round so no task always runs first (or right after a slow one).
    const order = tasks.map((_, i) => (i + round) % tasks.length);
    for (const i of order) {
      const task = tasks[i] as Task;
      const row = rows[i] as WarmCacheRow;
      const before = await sandbox.count('layer1.token');
      const ops = await measure(task, task.kind === 're-request' ? options.slowTimeMs : options.timeMs);
      row.upstreamDuringMeasurement += (await sandbox.count('layer1.token')) - before;
      row.opsPerSecond.push(ops);
    }
    log(`  warm round ${round + 1}: ${rows.map((r) => `${r.name} ${num(r.opsPerSecond.at(-1) ?? Number.NaN)}/s`).join(', ')}`);
  }
  for (const { instance } of made) await instance.close?.();
  return rows;
}

export function reportWarmCache(rows: WarmCacheRow[], options: WarmCacheOptions): ScenarioReport {
  const ops = (name: string) => median(rows.find((r) => r.name === name)?.opsPerSecond ?? []);
  const asyncFloor = ops('floor (async)');
  const syncFloor = ops('floor (sync)');
  const fin = ops('fintoken');
  const table = {
    headers: ['row', 'what one call is', 'calls/s (median)', 'cost vs async floor', 'cost vs sync floor', 'fintoken is … faster', 'token requests while measured'],
    rows: rows.map((r) => {
      const o = median(r.opsPerSecond);
      return [
        r.name,
        r.measures,
        num(o),
        times(ratio(asyncFloor, o)),
        times(ratio(syncFloor, o)),
        r.name === 'fintoken' ? '—' : times(ratio(fin, o)),
        num(r.upstreamDuringMeasurement),
      ];
    }),
  };
  const finVsFloor = ratio(asyncFloor, fin);
  const reRequesters = rows.filter((r) => r.kind === 're-request');
  const slowestGap = Math.min(...reRequesters.map((r) => ratio(fin, median(r.opsPerSecond))));
  const cachedPeers = rows.filter((r) => r.kind === 'cached' && r.name !== 'fintoken');
  // Calls/s is higher-is-better: compare the time per call.
  const outcome = (r: WarmCacheRow) => lowerIsBetter(1 / fin, 1 / median(r.opsPerSecond));
  const fasterPeers = cachedPeers.filter((r) => outcome(r) === 'loss');
  const tiedPeers = cachedPeers.filter((r) => outcome(r) === 'tie');
  const beatenPeers = cachedPeers.filter((r) => outcome(r) === 'win');
  const losses: string[] = [];
  if (finVsFloor > 1.3) losses.push(`fintoken costs ${times(finVsFloor)} the async floor, over the 1.3x target.`);
  const verdict = [
    `fintoken costs ${times(finVsFloor)} the async floor (target ≤ 1.3x: ${finVsFloor <= 1.3 ? 'met' : 'NOT met'}) and ${times(ratio(syncFloor, fin))} the synchronous floor; the gap to the sync floor is the price of an awaited promise, which every peer's API pays too.`,
  ];
  if (finVsFloor < 1) {
    verdict.push("fintoken can beat the async floor: its hit path is a plain function returning `Promise.resolve(token)`, the one promise the floor's `async` function also allocates, without that function's own frame.");
  }
  if (reRequesters.length > 0) {
    verdict.push(`Against peers without a cache (${reRequesters.map((r) => r.name).join(', ')}) fintoken is at least ${times(slowestGap)} faster (target ≥ 10x: ${slowestGap >= 10 ? 'met' : 'NOT met'}): each of their calls is a token request.`);
  }
  if (fasterPeers.length > 0) {
    const line = `fintoken loses on raw warm-cache speed to ${fasterPeers.map((r) => `${r.name} (${num(median(r.opsPerSecond))}/s; fintoken ${num(fin)}/s)`).join(', ')}: their hit path is a bare field check, while fintoken's also looks up a bounded map, marks the entry for eviction and checks the refresh-ahead time.`;
    verdict.push(line);
    losses.push(line);
  }
  if (tiedPeers.length > 0) {
    verdict.push(`fintoken ties with ${tiedPeers.map((r) => `${r.name} (fintoken ${times(ratio(fin, median(r.opsPerSecond)))} its speed)`).join(', ')}: within 10 %, run-to-run noise; both are at the floor.`);
  }
  if (beatenPeers.length > 0) {
    verdict.push(`fintoken is more than 10 % faster than ${beatenPeers.map((r) => `${r.name} (${times(ratio(fin, median(r.opsPerSecond)))})`).join(', ')}.`);
  }
  return {
    id: 'warm-cache',
    title: '2. Warm cache: cost of getting a cached token',
    what: [
      `tinybench, ${count(options.rounds, 'round')} (task order rotated each round), ${options.timeMs} ms per task and round. Cached calls run in batches of ${num(options.batch)} awaited calls per tinybench iteration so the timer read does not dominate; **calls/s** is ${num(options.batch)} divided by the median batch time, median over rounds. Peers without a cache make a real token request per call and get a smaller budget (batches of 1, ${options.slowTimeMs} ms per round).`,
      '**floor (async)** is the reference for the targets: a `Map.get` plus a `Date.now()` compare inside an `async` function that is awaited — the same calling convention as every library here, since all their APIs return promises. **floor (sync)** is the same body called synchronously; no promise-returning API can reach it. **cost vs floor** = floor calls/s ÷ row calls/s (1x = as fast as the floor). **fintoken is … faster** = fintoken calls/s ÷ row calls/s. **token requests while measured** shows whether a row really served from cache.',
    ],
    tables: [table],
    verdict,
    losses,
    checks: [
      { name: 'warm cache: fintoken within 1.3x of the async floor', pass: finVsFloor <= 1.3, detail: times(finVsFloor) },
      ...(reRequesters.length > 0 ? [{ name: 'warm cache: fintoken ≥ 10x every re-requesting peer', pass: slowestGap >= 10, detail: times(slowestGap) }] : []),
    ],
    data: { rounds: options.rounds, timeMs: options.timeMs, batch: options.batch, asyncFloor, syncFloor, fintoken: fin, fintokenVsAsyncFloor: finVsFloor, rows },
  };
}
