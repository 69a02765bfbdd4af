import type { BenchSandbox } from '../sandbox/types.js';
import { count, ms, num, times } from '../util/format.js';
import { lowerIsBetter } from '../util/compare.js';
import { fileURLToPath } from 'node:url';
import { compareRoutes, runRoutes, startServer, type ExpressOptions, type ExpressRun, type Route } from './express.js';
import type { ScenarioReport } from './types.js';

const paths: Record<Route, string> = { bare: '/bare', raw: '/raw', fintoken: '/token' };

export interface WebResult {
  runs: ExpressRun[];
  /** Layer token requests (client + business) the sandbox received during the load. */
  upstreamDuringLoad: number;
}

const serverFile = fileURLToPath(new URL('./webServer.ts', import.meta.url));

/** Same load as the Express scenario (same knobs), against the Web handler on @hono/node-server. */
export async function runWeb(sandbox: BenchSandbox, options: ExpressOptions, log: (line: string) => void = () => {}): Promise<WebResult> {
  return runRoutes(sandbox, await startServer(sandbox, serverFile, 'web server'), paths, options, (line) => log(`  web ${line}`));
}

export function reportWeb(result: WebResult, options: ExpressOptions): ScenarioReport {
  const { bare, raw, fin, rpsRatio, rawRatio, table } = compareRoutes(result.runs, {
    bare: 'bare Web handler (`Response.json`)',
    raw: 'raw handler (`new Response(JSON.stringify())`)',
    fintoken: 'fintoken `businessTokenRoute`',
    vsBare: 'vs bare Response.json',
  });
  const met = rpsRatio >= 0.9;
  const verdict = [
    `fintoken's Web business-token endpoint served ${times(rpsRatio)} the requests/s of a bare Web JSON handler on @hono/node-server (target ≥ 0.9x: ${met ? 'met' : 'NOT met'}), p99 ${ms(fin.p99)} (bare ${ms(bare.p99)}); ${num(result.upstreamDuringLoad)} Layer token requests were made during the load (all served from cache).`,
  ];
  const losses: string[] = [];
  const vsBare = lowerIsBetter(1 / fin.rps, 1 / bare.rps);
  if (vsBare === 'win') {
    verdict.push(`It beats the bare \`Response.json\` handler because \`Response.json\` builds a full Web \`Response\` whose body @hono/node-server reads back as a stream, whereas the endpoint answers with a string body and a plain headers object, which the server writes directly.`);
  } else if (vsBare === 'tie') {
    verdict.push(`It matches the bare \`Response.json\` handler within 10 % (run-to-run noise).`);
  } else {
    const line = `fintoken's Web endpoint loses ${num((1 - rpsRatio) * 100, 1)} % of throughput to the bare \`Response.json\` handler: the cost of authorize(), the cache lookup, expires_in and the no-store headers per request.`;
    verdict.push(line);
    losses.push(line);
  }
  if (rawRatio < 1) {
    const vsRaw = lowerIsBetter(1 / fin.rps, 1 / raw.rps);
    const line = `Against the raw \`new Response(JSON.stringify())\` handler (a string body and plain headers object: @hono/node-server's fast path, the floor for a Fetch-API route) fintoken loses: ${times(rawRatio)} its requests/s (${num((1 - rawRatio) * 100, 0)} % fewer${vsRaw === 'tie' ? ', inside the 10 % run-to-run noise' : ''}) — the per-request cost of authorize(), the cache lookup, reading the rejected-token header, expires_in and the no-store headers.`;
    verdict.push(line);
    losses.push(line);
  } else {
    verdict.push(`It also keeps up with the raw \`new Response(JSON.stringify())\` handler (@hono/node-server's fast path, the floor for a Fetch-API route): ${times(rawRatio)}.`);
  }
  return {
    id: 'web',
    title: '8. Web (Fetch API) business-token endpoint under load',
    what: [
      `One Fetch-API handler on \`@hono/node-server\` in its own process with two routes: \`POST /token\` is \`businessTokenRoute({ client: createLayerClient(...), authorize })\` from \`@fintoken/web\` against the sandbox (token warmed first); \`POST /bare\` returns a JSON body of the same shape and size with \`Response.json(body, { headers: { 'cache-control': 'no-store' } })\`, as a user writes it (the target's reference); \`POST /raw\` sends the same body as \`new Response(JSON.stringify(body), { headers })\` with a plain headers object, which @hono/node-server writes without building a Web stream (the floor for a Fetch-API route). autocannon (in the parent process, 127.0.0.1) drives ${options.connections} connections for ${options.durationSeconds} s per run, ${count(options.rounds, 'round')} rotating which route goes first (the Express scenario's knobs). Medians over rounds; **vs bare** = fintoken requests/s ÷ bare requests/s.`,
    ],
    tables: [table],
    verdict,
    losses,
    checks: [{ name: 'web: requests/s ≥ 0.9x a bare Web handler', pass: met, detail: times(rpsRatio) }],
    data: { options, ...result, bare, raw, fintoken: fin, ratio: rpsRatio, ratioToRaw: rawRatio },
  };
}
