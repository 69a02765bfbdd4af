import type { BenchSandbox } from '../sandbox/types.js';
import { ratio } from '../util/stats.js';
import { count, ms, num, times } from '../util/format.js';
import { lowerIsBetter } from '../util/compare.js';
import { fileURLToPath } from 'node:url';
import { load, startServer, summarize, type ExpressOptions, type ExpressRun } from './express.js';
import type { ScenarioReport } from './types.js';

type Route = 'bare' | 'raw' | 'fintoken';
const routes: readonly Route[] = ['bare', 'raw', 'fintoken'];
const paths: Record<Route, string> = { bare: '/bare', raw: '/raw', fintoken: '/token' };

export interface WebRun extends Omit<ExpressRun, 'route'> {
  route: Route;
}

export interface WebResult {
  runs: WebRun[];
  /** Layer token requests (client + business) the sandbox received during the load. */
  upstreamDuringLoad: number;
}

const serverFile = fileURLToPath(new URL('./webServer.ts', import.meta.url));

/** Same load as the Express scenario (same knobs), against the Web handler on @hono/node-server. */
export async function runWeb(sandbox: BenchSandbox, options: ExpressOptions, log: (line: string) => void = () => {}): Promise<WebResult> {
  const server = await startServer(sandbox, serverFile, 'web server');
  try {
    // Warm the business token (and the client token behind it) before measuring.
    const warm = await fetch(`${server.url}/token`, { method: 'POST' });
    if (warm.status !== 200) throw new Error(`web warm-up: /token answered ${warm.status}`);
    await warm.body?.cancel();
    await sandbox.reset();
    const runs: WebRun[] = [];
    for (let round = 0; round < options.rounds; round += 1) {
      // Rotate which route goes first so none always gets the cooler machine.
      const order = routes.map((_, i) => routes[(i + round) % routes.length] as Route);
      for (const route of order) {
        const run = { route, ...(await load(`${server.url}${paths[route]}`, options)) };
        runs.push(run);
        log(`  web ${route} round ${round + 1}: ${num(run.requestsPerSecond)} req/s, p99 ${run.p99Ms} ms, non-2xx ${run.non2xx}, errors ${run.errors}`);
      }
    }
    const upstreamDuringLoad = (await sandbox.count('layer.token')) + (await sandbox.count('layer.businessToken'));
    return { runs, upstreamDuringLoad };
  } finally {
    await server.stop();
  }
}

export function reportWeb(result: WebResult, options: ExpressOptions): ScenarioReport {
  const summary = (route: Route) => summarize(result.runs.filter((r) => r.route === route));
  const bare = summary('bare');
  const fin = summary('fintoken');
  const rpsRatio = ratio(fin.rps, bare.rps);
  const row = (label: string, s: typeof bare) => [label, num(s.rps), times(ratio(s.rps, bare.rps)), ms(s.p50), ms(s.p99), num(s.non2xx), num(s.errors)];
  const table = {
    headers: ['route', 'requests/s (median)', 'vs bare Response.json', 'p50', 'p99 (median)', 'non-2xx', 'errors'],
    rows: [row('bare Web handler (`Response.json`)', bare), row('fintoken `businessTokenRoute`', fin)],
  };
  const met = rpsRatio >= 0.9;
  const verdict = [
    `fintoken's Web business-token endpoint served ${times(rpsRatio)} the requests/s of a bare Web JSON handler on @hono/node-server (target ≥ 0.9x: ${met ? 'met' : 'NOT met'}), p99 ${ms(fin.p99)} (bare ${ms(bare.p99)}); ${num(result.upstreamDuringLoad)} Layer token requests were made during the load (all served from cache).`,
  ];
  const losses: string[] = [];
  const vsBare = lowerIsBetter(1 / fin.rps, 1 / bare.rps);
  if (vsBare === 'tie' || rpsRatio >= 1) {
    verdict.push(`It ${rpsRatio >= 1 ? 'keeps up with' : 'matches, within the 10 % run-to-run noise,'} the bare handler: on this server the HTTP layer, not the endpoint, sets the pace.`);
  } else {
    const line = `fintoken's Web endpoint loses ${num((1 - rpsRatio) * 100, 1)} % of throughput to the bare \`Response.json\` handler: the cost of authorize(), the cache lookup, expires_in and the no-store headers per request.`;
    verdict.push(line);
    losses.push(line);
  }
  return {
    id: 'web',
    title: '8. Web (Fetch API) business-token endpoint under load',
    what: [
      `One Fetch-API handler on \`@hono/node-server\` in its own process with two routes: \`POST /token\` is \`businessTokenRoute({ client: createLayerClient(...), authorize })\` from \`@fintoken/web\` against the sandbox (token warmed first); \`POST /bare\` returns a JSON body of the same shape and size with \`Response.json(body, { headers: { 'cache-control': 'no-store' } })\`, as a user writes it (the target's reference). autocannon (in the parent process, 127.0.0.1) drives ${options.connections} connections for ${options.durationSeconds} s per run, ${count(options.rounds, 'round')} rotating which route goes first (the Express scenario's knobs). Medians over rounds; **vs bare** = fintoken requests/s ÷ bare requests/s.`,
    ],
    tables: [table],
    verdict,
    losses,
    checks: [{ name: 'web: requests/s ≥ 0.9x a bare Web handler', pass: met, detail: times(rpsRatio) }],
    data: { options, ...result, bare, fintoken: fin, ratio: rpsRatio },
  };
}
