// Scenario 14: a fleet of Cloudflare Workers (each its own isolate with its own fintoken client)
// in workerd through miniflare 4, bound to one Durable Object namespace (@fintoken/cloudflare),
// against the Layer sandbox. The Worker is the one @fintoken/cloudflare's tests run.
import { startEdgeFleet, type EdgeFleet } from '../../../packages/cloudflare/test/support/workerd.js';
import { startRemoteSandbox } from '../sandbox/remote.js';
import type { BenchSandbox } from '../sandbox/types.js';
import { ms, num } from '../util/format.js';
import { median } from '../util/stats.js';
import { within } from '../util/time.js';
import { coldBurstTable } from './fleetProcess.js';
import type { Check, ScenarioReport } from './types.js';

export interface EdgeFleetOptions {
  /** Workers besides the one hosting the object class. */
  workers: number;
  /** Concurrent cold requests per Worker. */
  callers: number;
  rounds: number;
  /** Steady load: Layer token lifetime (s), run length, concurrent requests per Worker per round. */
  ttlSeconds: number;
  loadMs: number;
  loadCallers: number;
}

export interface ColdRow {
  mode: 'durable-object' | 'alone';
  upstream: number[];
  distinct: number[];
  failed: number[];
  wallMs: number[];
}

export interface SteadyRow {
  calls: number;
  failed: number;
  expired: number;
  upstream: number;
  /** Refresh intervals the run spans: core refreshes a token this short after 80 % of its life less the 10 % safety margin. */
  windows: number;
}

export interface EdgeFleetResult {
  cold: ColdRow[];
  steady: SteadyRow;
}

const layerEnv = (s: BenchSandbox) => ({ LAYER_CLIENT_ID: s.layer.clientId, LAYER_CLIENT_SECRET: s.layer.clientSecret, LAYER_AUTH_URL: s.layer.authUrl, LAYER_API_URL: s.layer.apiUrl });

async function burst(fleet: EdgeFleet, count: number) {
  const started = performance.now();
  const answers = await Promise.all(fleet.names.flatMap((name) => Array.from({ length: count }, () => within(fleet.get(name, '/token'), 30_000, 'edge fleet request'))));
  return { wallMs: performance.now() - started, answers };
}

export async function runEdgeFleet(sandbox: BenchSandbox, options: EdgeFleetOptions, log: (line: string) => void = () => {}): Promise<EdgeFleetResult> {
  const cold: ColdRow[] = [];
  for (const mode of ['durable-object', 'alone'] as const) {
    const row: ColdRow = { mode, upstream: [], distinct: [], failed: [], wallMs: [] };
    for (let round = 0; round < options.rounds; round++) {
      // A new workerd per round: new isolates, new (in-memory) object storage, a cold fleet.
      const fleet = await startEdgeFleet({ bindings: { ...layerEnv(sandbox), SHARED: mode === 'alone' ? '0' : '1', WAIT_UNTIL: '1' }, workers: options.workers });
      try {
        await sandbox.reset();
        const { wallMs, answers } = await burst(fleet, options.callers);
        row.upstream.push(await sandbox.count('layer.token'));
        row.distinct.push(new Set(answers.map((a) => a.body.fingerprint)).size);
        row.failed.push(answers.filter((a) => a.status !== 200).length);
        row.wallMs.push(wallMs);
      } finally {
        await fleet.close();
      }
    }
    log(`  ${mode}: token requests ${row.upstream.join(', ')}, wall ${row.wallMs.map((w) => ms(w)).join(', ')}`);
    cold.push(row);
  }

  // Steady load with short tokens on a sandbox of its own (Layer tokens of ttlSeconds).
  const short = await startRemoteSandbox({ tokenTtl: { layer: options.ttlSeconds } });
  let steady: SteadyRow;
  try {
    const fleet = await startEdgeFleet({ bindings: { ...layerEnv(short), WAIT_UNTIL: '1' }, workers: options.workers });
    try {
      await short.reset();
      let calls = 0;
      let failed = 0;
      let expired = 0;
      const started = Date.now();
      while (Date.now() - started < options.loadMs) {
        const { answers } = await burst(fleet, options.loadCallers);
        for (const a of answers) {
          calls += 1;
          if (a.status !== 200) failed += 1;
          else if (!((a.body.expiresAt as number) > (a.body.now as number))) expired += 1;
        }
        await new Promise((r) => setTimeout(r, 20));
      }
      const upstream = await short.count('layer.token');
      steady = { calls, failed, expired, upstream, windows: options.loadMs / 1000 / (options.ttlSeconds * 0.9 * 0.8) };
      log(`  steady: ${num(calls)} calls, ${upstream} token requests, ${failed} failed, ${expired} expired`);
    } finally {
      await fleet.close();
    }
  } finally {
    await short.close();
  }
  return { cold, steady };
}

export function reportEdgeFleet(result: EdgeFleetResult, options: EdgeFleetOptions): ScenarioReport {
  const isolates = options.workers + 1;
  const shared = result.cold.find((r) => r.mode === 'durable-object') as ColdRow;
  const alone = result.cold.find((r) => r.mode === 'alone') as ColdRow;
  const { steady } = result;
  const exact = shared.upstream.every((n) => n === 1) && shared.failed.every((n) => n === 0);
  const steadyBound = Math.ceil(steady.windows) + 1;
  const steadyOk = steady.failed === 0 && steady.expired === 0 && steady.upstream <= steadyBound;
  const verdict = [
    exact
      ? `Cold, on the Durable Object: ${isolates} Workers × ${options.callers} concurrent requests (${num(isolates * options.callers)}) made exactly 1 token request in every round, with no failed call (target 1: met). Without the store: ${num(median(alone.upstream))} (one per isolate).`
      : `Cold, on the Durable Object: NOT exactly 1 token request with no failed call in every round (requests ${shared.upstream.join(', ')}, failed ${shared.failed.join(', ')}) (target 1: NOT met).`,
    `Steady load with ${options.ttlSeconds} s tokens for ${options.loadMs / 1000} s: ${num(steady.upstream)} token requests for the fleet (at most ${steadyBound}: one per refresh interval of 0.72 × the lifetime, +1 for timing), ${num(steady.failed)} failed calls and ${num(steady.expired)} expired tokens out of ${num(steady.calls)} (target: ${steadyOk ? 'met' : 'NOT met'}).`,
  ];
  const losses: string[] = [];
  if (median(shared.wallMs) > median(alone.wallMs) * 1.1) {
    const line = `Edge fleet: the Durable Object costs cold wall time (${ms(median(shared.wallMs))} with it, ${ms(median(alone.wallMs))} without): every isolate but one waits on the object for the holder's token, two or three object calls each.`;
    verdict.push(line);
    losses.push(line);
  }
  const checks: Check[] = [
    { name: 'edge fleet: 1 token request with the Durable Object store', pass: exact, detail: `per round: ${shared.upstream.join(', ')}` },
    { name: 'edge fleet: steady load, one request per lifetime, nothing failed or expired', pass: steadyOk, detail: `${steady.upstream} requests (≤ ${steadyBound}), ${steady.failed} failed, ${steady.expired} expired` },
  ];
  return {
    id: 'edge-fleet',
    title: `14. Edge fleet: ${isolates} Cloudflare Workers on one Durable Object (workerd)`,
    what: [
      `${isolates} Workers in one workerd (miniflare 4), each its own isolate with its own Layer client, all bound to one Durable Object namespace (\`createDurableObjectStore({ namespace: env.FINTOKEN })\`, with \`waitUntil\` from \`cloudflare:workers\`). **cold**: a new workerd per round (new isolates, empty object storage), then ${options.callers} concurrent requests to every Worker at once; **alone**: the same Workers without the store. Token requests are counted at the sandbox. **steady**: Layer tokens of ${options.ttlSeconds} s, ${options.loadCallers} concurrent requests per Worker in a loop for ${options.loadMs / 1000} s; an expired token is one whose \`expiresAt\` had passed when the Worker answered with it.`,
    ],
    tables: [
      coldBurstTable([
        { label: 'fintoken + @fintoken/cloudflare (Durable Object)', row: { ...shared, distinctTokens: shared.distinct, errors: shared.failed } },
        { label: 'fintoken, isolate memory only', row: { ...alone, distinctTokens: alone.distinct, errors: alone.failed } },
      ]),
      {
        headers: ['steady load', 'calls', 'token requests', 'refresh intervals spanned', 'failed calls', 'expired tokens'],
        rows: [[`${isolates} Workers, ${options.ttlSeconds} s tokens, ${options.loadMs / 1000} s`, num(steady.calls), num(steady.upstream), steady.windows.toFixed(1), num(steady.failed), num(steady.expired)]],
      },
    ],
    verdict,
    losses,
    checks,
    data: { options, ...result },
  };
}
