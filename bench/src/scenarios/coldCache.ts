import { allPeers } from '../peers/index.js';
import type { PeerDefinition } from '../peers/types.js';
import type { BenchSandbox } from '../sandbox/types.js';
import { median, ratio } from '../util/stats.js';
import { ms, num, times, count } from '../util/format.js';
import { resetConnectionPools } from '../util/pools.js';
import { within } from '../util/time.js';
import { lowerIsBetter } from '../util/compare.js';
import { peerConfigOf, type ScenarioReport } from './types.js';

export interface ColdCacheOptions {
  callers: number;
  runs: number;
  peers?: readonly PeerDefinition[];
  /** Bound of one run (one peer, one burst). */
  runTimeoutMs?: number;
}

export interface ColdCacheRow {
  peer: string;
  api: string;
  caching: string;
  /** Token requests the sandbox received, per run. */
  upstream: number[];
  wallMs: number[];
  /** Calls that rejected, per run. */
  errors: number[];
  /** One rejection's name/code/message, to say why calls failed. */
  errorSamples: string[];
}

/** One burst: `callers` concurrent getToken() calls on a new (cold) client; count upstream requests. */
async function burst(sandbox: BenchSandbox, peer: PeerDefinition, callers: number, timeoutMs: number) {
  await resetConnectionPools();
  const instance = peer.create(peerConfigOf(sandbox));
  await sandbox.reset();
  const started = performance.now();
  const calls = Array.from({ length: callers }, () => instance.getToken());
  const settled = await within(Promise.allSettled(calls), timeoutMs, `${peer.name} cold burst`);
  const wallMs = performance.now() - started;
  await instance.close?.();
  const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  return {
    wallMs,
    errorSample: failure === undefined ? undefined : describeError(failure.reason),
    errors: settled.filter((s) => s.status === 'rejected').length,
    upstream: await sandbox.count('layer1.token'),
  };
}

function describeError(error: unknown): string {
  const e = error as { name?: string; code?: string; message?: string; cause?: { code?: string; message?: string } };
  return [e.name, e.code, e.message, e.cause?.code, e.cause?.message].filter(Boolean).join(' / ').slice(0, 200);
}

export async function runColdCache(sandbox: BenchSandbox, options: ColdCacheOptions, log: (line: string) => void = () => {}): Promise<ColdCacheRow[]> {
  const peers = options.peers ?? allPeers;
  const rows: ColdCacheRow[] = peers.map((p) => ({ peer: p.name, api: p.api, caching: p.caching, upstream: [], wallMs: [], errors: [], errorSamples: [] }));
  // Runs interleave the peers, so drift on a shared machine spreads over all of them.
  for (let run = 0; run < options.runs; run += 1) {
    for (const [i, peer] of peers.entries()) {
      const result = await burst(sandbox, peer, options.callers, options.runTimeoutMs ?? 60_000);
      const row = rows[i] as ColdCacheRow;
      row.upstream.push(result.upstream);
      row.wallMs.push(result.wallMs);
      row.errors.push(result.errors);
      if (result.errorSample !== undefined) row.errorSamples.push(result.errorSample);
      log(`  cold ${peer.name} run ${run + 1}: ${result.upstream} upstream, ${result.wallMs.toFixed(0)} ms, ${result.errors} errors${result.errorSample === undefined ? '' : ` (${result.errorSample})`}`);
    }
  }
  await resetConnectionPools();
  return rows;
}

export function reportColdCache(rows: ColdCacheRow[], options: ColdCacheOptions): ScenarioReport {
  const fin = rows.find((r) => r.peer === 'fintoken');
  const finWall = fin === undefined ? Number.NaN : median(fin.wallMs);
  const finUp = fin === undefined ? Number.NaN : median(fin.upstream);
  const table = {
    headers: ['library', 'caching', 'token requests (median)', 'min–max', 'wall time (median)', 'min–max', 'wall time vs fintoken', 'failed calls (median)'],
    rows: rows.map((r) => {
      const up = median(r.upstream);
      return [
        r.peer,
        r.caching,
        num(up),
        `${num(Math.min(...r.upstream))}–${num(Math.max(...r.upstream))}`,
        ms(median(r.wallMs)),
        `${ms(Math.min(...r.wallMs))}–${ms(Math.max(...r.wallMs))}`,
        r.peer === 'fintoken' ? '1x' : times(ratio(median(r.wallMs), finWall)),
        num(median(r.errors)),
      ];
    }),
  };
  const verdict: string[] = [];
  const losses: string[] = [];
  const exact = fin !== undefined && fin.upstream.every((u) => u === 1);
  verdict.push(
    exact
      ? `fintoken made exactly 1 token request for ${num(options.callers)} concurrent callers in every run.`
      : `fintoken did NOT make exactly 1 token request in every run (${fin?.upstream.join(', ')}).`,
  );
  const herd = rows.filter((r) => median(r.upstream) > 1);
  if (herd.length > 0) {
    verdict.push(`${herd.map((r) => `${r.peer} (${num(median(r.upstream))})`).join(', ')} sent one token request per caller or close to it: a thundering herd at the provider on every cold start.`);
  }
  const others = rows.filter((r) => r.peer !== 'fintoken');
  const lost = others.filter((r) => lowerIsBetter(finWall, median(r.wallMs)) === 'loss');
  const tied = others.filter((r) => lowerIsBetter(finWall, median(r.wallMs)) === 'tie');
  if (lost.length > 0) {
    const line = `fintoken loses on wall time to ${lost.map((r) => `${r.peer} (${ms(median(r.wallMs))}; fintoken ${ms(finWall)})`).join(', ')}. With one token request each, both finish in milliseconds and the gap is per-request work: fintoken validates the response with zod, reads the JWT's exp and fills its cache entry; its min–max overlaps, so part of it is noise.`;
    verdict.push(line);
    losses.push(line);
  }
  if (tied.length > 0) verdict.push(`On wall time fintoken ties with ${tied.map((r) => `${r.peer} (${ms(median(r.wallMs))}; fintoken ${ms(finWall)})`).join(', ')}: within 10 %, run-to-run noise.`);
  if (lost.length === 0 && tied.length === 0) verdict.push('fintoken had the shortest wall time of all libraries, by more than 10 %.');
  return {
    id: 'cold-cache',
    title: `1. Cold cache: ${num(options.callers)} concurrent token requests for one key`,
    what: [
      `Each run creates a new client (empty cache), resets the sandbox's counter, starts ${num(options.callers)} \`getToken()\` calls at once and waits for all of them. **token requests** is what the sandbox's Layer1 token endpoint received (\`stats.count('layer1.token')\`); **wall time** is from the first call to the last settled promise. Medians over ${count(options.runs, 'run')}, peers interleaved.`,
    ],
    tables: [table],
    verdict,
    losses,
    checks: [{ name: 'cold cache: fintoken makes exactly 1 token request', pass: exact, detail: `per run: ${fin?.upstream.join(', ')}` }],
    data: { callers: options.callers, runs: options.runs, medianUpstreamFintoken: finUp, rows },
  };
}
