import { badgateway, fintoken } from '../peers/index.js';
import type { PeerDefinition } from '../peers/types.js';
import type { BenchSandbox } from '../sandbox/types.js';
import { median } from '../util/stats.js';
import { ms, num, count } from '../util/format.js';
import { resetConnectionPools } from '../util/pools.js';
import { within } from '../util/time.js';
import { lowerIsBetter } from '../util/compare.js';
import { peerConfigOf, type ScenarioReport } from './types.js';

export interface StormOptions {
  calls: number;
  runs: number;
  /** Lifetime of the sandbox's Layer1 tokens, seconds: the clock jumps past it. */
  ttlSeconds: number;
  /** In the "spread" variant the rejected calls' answers are spread over 0..spreadMs. */
  spreadMs: number;
  peers?: readonly PeerDefinition[];
}

type Variant = 'together' | 'spread';
const variants: readonly Variant[] = ['together', 'spread'];

export interface StormRow {
  peer: string;
  variant: Variant;
  /** Token requests made because of the storm, per run. */
  tokenRequests: number[];
  /** Calls whose final answer (after the library's own retry) was not 200, per run. */
  failed: number[];
  wallMs: number[];
}

const tenantsPath = '/api/v1/tenants';

async function storm(sandbox: BenchSandbox, peer: PeerDefinition, variant: Variant, options: StormOptions) {
  await resetConnectionPools();
  const instance = peer.create(peerConfigOf(sandbox));
  const call = instance.fetch;
  if (call === undefined) throw new Error(`${peer.name} has no authorized fetch`);
  const url = `${sandbox.layer1ApiUrl}${tenantsPath}`;
  // Warm: one token, and proof the API accepts it.
  const warm = await call(url);
  await warm.body?.cancel();
  if (warm.status !== 200) throw new Error(`${peer.name} warm-up call answered ${warm.status}`);
  await sandbox.reset();
  // The provider's clock jumps past the cached token's exp: the API now rejects it with 401,
  // while the client still believes it valid (as after a revocation or a key rotation).
  await sandbox.setSkewMs((options.ttlSeconds + 60) * 1000);
  // A real API's latency varies: its 401s reach the client spread out, not in one packet train.
  if (variant === 'spread') await sandbox.inject('layer1.api', { times: options.calls, latencyMs: [0, options.spreadMs] });
  try {
    const started = performance.now();
    const responses = await within(
      Promise.allSettled(
        Array.from({ length: options.calls }, async () => {
          const response = await call(url);
          await response.body?.cancel();
          return response.status;
        }),
      ),
      30_000,
      `${peer.name} 401 storm`,
    );
    const wallMs = performance.now() - started;
    const failed = responses.filter((r) => r.status === 'rejected' || r.value !== 200).length;
    return { tokenRequests: await sandbox.count('layer1.token'), failed, wallMs, apiCalls: await sandbox.count('layer1.api') };
  } finally {
    await sandbox.setSkewMs(0);
    await sandbox.clearFaults();
    await instance.close?.();
  }
}

export async function runStorm(sandbox: BenchSandbox, options: StormOptions, log: (line: string) => void = () => {}): Promise<StormRow[]> {
  const peers = options.peers ?? [fintoken, badgateway];
  const rows: StormRow[] = variants.flatMap((variant) => peers.map((p) => ({ peer: p.name, variant, tokenRequests: [], failed: [], wallMs: [] })));
  for (let run = 0; run < options.runs; run += 1) {
    for (const row of rows) {
      const peer = peers.find((p) => p.name === row.peer) as PeerDefinition;
      const result = await storm(sandbox, peer, row.variant, options);
      row.tokenRequests.push(result.tokenRequests);
      row.failed.push(result.failed);
      row.wallMs.push(result.wallMs);
      log(`  401 storm ${peer.name} (${row.variant}) run ${run + 1}: ${result.tokenRequests} token requests, ${result.apiCalls} API calls, ${result.failed} failed, ${result.wallMs.toFixed(0)} ms`);
    }
  }
  await resetConnectionPools();
  return rows;
}

export function reportStorm(rows: StormRow[], options: StormOptions): ScenarioReport {
  const fins = rows.filter((r) => r.peer === 'fintoken');
  const exact = fins.length > 0 && fins.every((r) => r.tokenRequests.every((n) => n === 1));
  const label: Record<Variant, string> = { together: '401s arrive together', spread: `401s spread over 0–${options.spreadMs} ms` };
  const table = {
    headers: ['library', 'authorized fetch', 'variant', 'token requests (median)', 'min–max', 'calls not 200 in the end (median)', 'wall time (median)'],
    rows: rows.map((r) => [
      r.peer,
      r.peer === 'fintoken' ? '`client.fetch(path)`' : '`OAuth2Fetch.fetch(url)`',
      label[r.variant],
      num(median(r.tokenRequests)),
      `${num(Math.min(...r.tokenRequests))}–${num(Math.max(...r.tokenRequests))}`,
      num(median(r.failed)),
      ms(median(r.wallMs)),
    ]),
  };
  const verdict = [
    exact
      ? `fintoken made exactly 1 token request for ${options.calls} concurrent 401s in every run of both variants: the forced refresh names the rejected token, so callers whose 401 arrives after the refresh reuse its result.`
      : `fintoken did NOT make exactly 1 token request in every run (${fins.map((r) => `${r.variant}: ${r.tokenRequests.join(', ')}`).join('; ')}).`,
  ];
  const losses: string[] = [];
  for (const r of rows.filter((x) => x.peer !== 'fintoken')) {
    const n = median(r.tokenRequests);
    const fin = fins.find((f) => f.variant === r.variant);
    verdict.push(
      n <= 1
        ? `${r.peer} also made ${num(n)} when the 401s arrive together: all of them land while its one refresh is still in flight, which it shares. fintoken does not win this variant.`
        : `${r.peer} made ${num(n)} (median) when the 401s arrive ${r.variant === 'spread' ? 'spread out' : 'together'}: it shares a refresh only while one is in flight, so every 401 that lands after that refresh finished starts another.`,
    );
    if (fin !== undefined && lowerIsBetter(median(fin.wallMs), median(r.wallMs)) === 'loss') {
      const line = `fintoken loses on wall time to ${r.peer} when the 401s arrive ${r.variant === 'spread' ? 'spread out' : 'together'} (${r.peer} ${ms(median(r.wallMs))}, fintoken ${ms(median(fin.wallMs))}).`;
      verdict.push(line);
      losses.push(line);
    }
    if (fin !== undefined && median(r.tokenRequests) < median(fin.tokenRequests)) {
      const line = `${r.peer} made fewer token requests than fintoken when the 401s arrive ${r.variant === 'spread' ? 'spread out' : 'together'}.`;
      verdict.push(line);
      losses.push(line);
    }
  }
  return {
    id: '401-storm',
    title: `7. 401 storm: ${options.calls} concurrent API calls rejected at once`,
    what: [
      `Each run: a new client makes one call to the sandbox's Layer1 API (\`GET /api/v1/tenants\`) to cache a token, then the sandbox clock jumps ${options.ttlSeconds + 60} s ahead so the API rejects that token (401, expired) while the client still believes it valid. ${options.calls} concurrent calls go through the library's authorized fetch, which refreshes and retries once on a 401. **token requests** is what the token endpoint received during the storm. Two variants: the sandbox answers the ${options.calls} rejected calls as fast as it can (they arrive together, and the one token request queues behind them at the single-threaded sandbox), or each rejected call is delayed by a random 0–${options.spreadMs} ms (injected latency on \`layer1.api\`), as a real API's varying latency spreads its 401s out. Medians over ${count(options.runs, 'run')}.`,
    ],
    tables: [table],
    verdict,
    losses,
    checks: [{ name: '401 storm: fintoken makes exactly 1 token request', pass: exact, detail: fins.map((r) => `${r.variant}: ${r.tokenRequests.join(', ')}`).join('; ') }],
    data: { options, rows },
  };
}
