import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import type { BenchSandbox } from '../sandbox/types.js';
import { median, ratio } from '../util/stats.js';
import { ms, num, times, count } from '../util/format.js';
import { within } from '../util/time.js';
import { lowerIsBetter } from '../util/compare.js';
import type { ScenarioReport } from './types.js';
import { stopChild } from '../util/child.js';

export interface ExpressOptions {
  rounds: number;
  durationSeconds: number;
  connections: number;
}

export type Route = 'bare' | 'raw' | 'fintoken';
const paths: Record<Route, string> = { bare: '/bare', raw: '/raw', fintoken: '/token' };

export interface ExpressRun {
  route: Route;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
}

export interface ExpressResult {
  runs: ExpressRun[];
  /** Layer token requests (client + business) the sandbox received during the load. */
  upstreamDuringLoad: number;
}

const serverFile = fileURLToPath(new URL('./expressServer.ts', import.meta.url));
const benchDir = fileURLToPath(new URL('../..', import.meta.url));

/** Start a token server (`serverFile`, or another scenario's) in a child process, so the load generator does not share its event loop. */
export async function startServer(sandbox: BenchSandbox, file = serverFile, name = 'express server') {
  const { authUrl, apiUrl, clientId, clientSecret, businessId } = sandbox.layer;
  const child = fork(file, [], { cwd: benchDir, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  child.send({ authUrl, apiUrl, clientId, clientSecret, businessId });
  const port = await within(
    new Promise<number>((resolve, reject) => {
      child.once('message', (m: { port: number }) => resolve(m.port));
      child.once('exit', (code) => reject(new Error(`${name} exited (code ${code})`)));
    }),
    30_000,
    `${name} start`,
  );
  const stop = () => stopChild(child);
  return { url: `http://127.0.0.1:${port}`, stop };
}

/** One autocannon run of POSTs against `url`. */
export async function load(url: string, options: ExpressOptions): Promise<Omit<ExpressRun, 'route'>> {
  const result = await within(
    autocannon({ url, method: 'POST', connections: options.connections, duration: options.durationSeconds }),
    (options.durationSeconds + 30) * 1000,
    `autocannon ${url}`,
  );
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

export async function runExpress(sandbox: BenchSandbox, options: ExpressOptions, log: (line: string) => void = () => {}): Promise<ExpressResult> {
  return runRoutes(sandbox, await startServer(sandbox), paths, options, (line) => log(`  express ${line}`));
}

/**
 * Warm the business token (and the client token behind it) through `/token`, then load every
 * route once per round, rotating which goes first so none always gets the cooler machine. Stops
 * the server at the end.
 */
export async function runRoutes<R extends string>(
  sandbox: BenchSandbox,
  server: { url: string; stop(): Promise<void> },
  routePaths: Record<R, string>,
  options: ExpressOptions,
  log: (line: string) => void,
): Promise<{ runs: (Omit<ExpressRun, 'route'> & { route: R })[]; upstreamDuringLoad: number }> {
  const order = Object.keys(routePaths) as R[];
  try {
    const warm = await fetch(`${server.url}/token`, { method: 'POST' });
    if (warm.status !== 200) throw new Error(`warm-up: /token answered ${warm.status}`);
    await warm.body?.cancel();
    await sandbox.reset();
    const runs: (Omit<ExpressRun, 'route'> & { route: R })[] = [];
    for (let round = 0; round < options.rounds; round += 1) {
      for (const route of order.map((_, i) => order[(i + round) % order.length] as R)) {
        const run = { route, ...(await load(`${server.url}${routePaths[route]}`, options)) };
        runs.push(run);
        log(`${route} round ${round + 1}: ${num(run.requestsPerSecond)} req/s, p99 ${run.p99Ms} ms, non-2xx ${run.non2xx}, errors ${run.errors}`);
      }
    }
    const upstreamDuringLoad = (await sandbox.count('layer.token')) + (await sandbox.count('layer.businessToken'));
    return { runs, upstreamDuringLoad };
  } finally {
    await server.stop();
  }
}

/** Medians over rounds (totals for failures) of one route's runs. */
export function summarize(runs: readonly Omit<ExpressRun, 'route'>[]) {
  return {
    rps: median(runs.map((r) => r.requestsPerSecond)),
    p50: median(runs.map((r) => r.p50Ms)),
    p99: median(runs.map((r) => r.p99Ms)),
    non2xx: runs.reduce((a, r) => a + r.non2xx, 0),
    errors: runs.reduce((a, r) => a + r.errors, 0),
  };
}

/** The bare, raw and fintoken routes' summaries, fintoken's ratios to the other two, and the table. */
export function compareRoutes(runs: readonly ExpressRun[], labels: Record<Route, string> & { vsBare: string }) {
  const summary = (route: Route) => summarize(runs.filter((r) => r.route === route));
  const bare = summary('bare');
  const raw = summary('raw');
  const fin = summary('fintoken');
  const row = (label: string, s: typeof bare) => [label, num(s.rps), times(ratio(s.rps, bare.rps)), ms(s.p50), ms(s.p99), num(s.non2xx), num(s.errors)];
  const table = {
    headers: ['route', 'requests/s (median)', labels.vsBare, 'p50', 'p99 (median)', 'non-2xx', 'errors'],
    rows: [row(labels.bare, bare), row(labels.raw, raw), row(labels.fintoken, fin)],
  };
  return { bare, raw, fin, rpsRatio: ratio(fin.rps, bare.rps), rawRatio: ratio(fin.rps, raw.rps), table };
}

export function reportExpress(result: ExpressResult, options: ExpressOptions): ScenarioReport {
  const { bare, raw, fin, rpsRatio, rawRatio, table } = compareRoutes(result.runs, {
    bare: 'bare Express JSON handler (`res.json`)',
    raw: 'raw handler (`res.end(JSON.stringify())`)',
    fintoken: 'fintoken `businessTokenHandler`',
    vsBare: 'vs bare res.json',
  });
  const met = rpsRatio >= 0.9;
  const verdict = [
    `fintoken's business-token endpoint served ${times(rpsRatio)} the requests/s of a bare Express JSON handler (target ≥ 0.9x: ${met ? 'met' : 'NOT met'}), p99 ${ms(fin.p99)} (bare ${ms(bare.p99)}); ${num(result.upstreamDuringLoad)} Layer token requests were made during the load (all served from cache).`,
  ];
  const losses: string[] = [];
  // Requests/s is higher-is-better: compare time per request.
  const vsBare = lowerIsBetter(1 / fin.rps, 1 / bare.rps);
  const vsRaw = lowerIsBetter(1 / fin.rps, 1 / raw.rps);
  if (vsBare === 'win') {
    verdict.push(`It beats the bare \`res.json\` handler because Express's \`res.json\` also hashes every body for an ETag, which fintoken deliberately never sends for a token.`);
  } else if (vsBare === 'tie') {
    verdict.push(`It matches the bare \`res.json\` handler within 10 % (run-to-run noise).`);
  } else {
    const line = `fintoken loses ${num((1 - rpsRatio) * 100, 1)} % of throughput to the bare \`res.json\` handler: the cost of authorize(), the cache lookup and computing expires_in per request.`;
    verdict.push(line);
    losses.push(line);
  }
  if (rawRatio < 1) {
    const line = `Against the raw \`res.end\` handler (no ETag, the floor for any Express route) fintoken loses: ${times(rawRatio)} its requests/s (${num((1 - rawRatio) * 100, 0)} % fewer${vsRaw === 'tie' ? ', inside the 10 % run-to-run noise' : ''}) — that gap is the per-request cost of authorize(), the cache lookup, expires_in and the no-store headers.`;
    verdict.push(line);
    losses.push(line);
  } else {
    verdict.push(`It also keeps up with the raw \`res.end\` handler (no ETag, the floor for any Express route): ${times(rawRatio)}.`);
  }
  return {
    id: 'express',
    title: '4. Express business-token endpoint under load',
    what: [
      `One Express 5 app in its own process with three routes: \`POST /token\` is \`businessTokenHandler({ client: createLayerClient(...), authorize })\` against the sandbox (token warmed first); \`POST /bare\` returns a JSON body of the same shape and size with \`res.set('Cache-Control', 'no-store').json(...)\`, as a user writes it (the target's reference); \`POST /raw\` sends the same body with Node's \`res.end(JSON.stringify(...))\` (no ETag: the floor for an Express route). autocannon (in the parent process, 127.0.0.1) drives ${options.connections} connections for ${options.durationSeconds} s per run, ${count(options.rounds, 'round')} rotating which route goes first. Medians over rounds; **vs bare** = fintoken requests/s ÷ bare requests/s.`,
    ],
    tables: [table],
    verdict,
    losses,
    checks: [{ name: 'express: requests/s ≥ 0.9x a bare handler', pass: met, detail: times(rpsRatio) }],
    data: { options, ...result, bare, raw, fintoken: fin, ratio: rpsRatio, ratioToRaw: rawRatio },
  };
}
