import { fileURLToPath } from 'node:url';
import type { BenchSandbox } from '../sandbox/types.js';
import { count, num, times } from '../util/format.js';
import { runFreshNode } from '../util/freshNode.js';
import { median, ratio } from '../util/stats.js';
import type { ScenarioReport } from './types.js';

export interface ColdStartOptions {
  /** fintoken/oauth4webapi pairs per provider, run back to back, alternating which goes first. */
  pairs: number;
}

export const PROVIDERS = ['layer', 'thredfi', 'asset', 'layer1'] as const;
export type ProviderName = (typeof PROVIDERS)[number];

/** One side of one provider's rows: per pair, spawn-to-token wall time and peak RSS. */
export interface ColdStartSide {
  wallMs: number[];
  maxRssMiB: number[];
  importMs: number[];
  tokenMs: number[];
}

export interface ColdStartRow {
  provider: ProviderName;
  fintoken: ColdStartSide;
  oauth4webapi: ColdStartSide;
}

// The targets: a cold start at most 1.35x oauth4webapi's wall time, at most +10 MiB.
const MAX_WALL_RATIO = 1.35;
const MAX_EXTRA_RSS_MIB = 10;

const benchDir = fileURLToPath(new URL('../..', import.meta.url));
const script = (name: string) => fileURLToPath(new URL(`../coldstart/${name}.mjs`, import.meta.url));

const LAYER_SANDBOX_SCOPE = 'https://sandbox.layerfi.com/sandbox';

/**
 * What each child gets: fintoken's factory options, and for oauth4webapi the same request to the
 * same endpoint (Basic or form credentials, the same form fields) as that provider package sends.
 */
function targets(sandbox: BenchSandbox, provider: ProviderName): { fintoken: object; oauth4webapi: object } {
  switch (provider) {
    case 'layer': {
      const { authUrl, apiUrl, clientId, clientSecret } = sandbox.layer;
      return {
        fintoken: { provider, clientId, clientSecret, tokenUrl: authUrl, apiUrl },
        oauth4webapi: { tokenUrl: authUrl, clientId, clientSecret, basic: true, fields: { scope: LAYER_SANDBOX_SCOPE, client_id: clientId } },
      };
    }
    case 'thredfi': {
      const { baseUrl, partnerId, apiKey } = sandbox.thredfi;
      return {
        fintoken: { provider, clientId: partnerId, clientSecret: apiKey, baseUrl },
        oauth4webapi: { tokenUrl: `${baseUrl}/v1/platform/oauth2/token/`, clientId: partnerId, clientSecret: apiKey, basic: true },
      };
    }
    case 'asset': {
      const { baseUrl, clientId, clientSecret } = sandbox.asset;
      return {
        fintoken: { provider, clientId, clientSecret, baseUrl },
        oauth4webapi: { tokenUrl: `${baseUrl}/v0/auth/token`, clientId, clientSecret, basic: false },
      };
    }
    case 'layer1': {
      const { clientId, clientSecret } = sandbox.credentials;
      return {
        fintoken: { provider, clientId, clientSecret, tokenUrl: sandbox.tokenUrl },
        oauth4webapi: { tokenUrl: sandbox.tokenUrl, clientId, clientSecret, basic: false },
      };
    }
  }
}

const emptySide = (): ColdStartSide => ({ wallMs: [], maxRssMiB: [], importMs: [], tokenMs: [] });

async function once(side: ColdStartSide, name: 'fintoken' | 'oauth4webapi', target: object): Promise<void> {
  const { wallMs, report } = await runFreshNode([script(name)], { cwd: benchDir, env: { FINTOKEN_BENCH_TARGET: JSON.stringify(target) } });
  side.wallMs.push(wallMs);
  side.maxRssMiB.push((report.maxRssKiB ?? Number.NaN) / 1024);
  side.importMs.push(report.importMs ?? Number.NaN);
  side.tokenMs.push(report.tokenMs ?? Number.NaN);
}

/**
 * Fresh process to first token, per provider package, against oauth4webapi doing the same
 * request: pairs run back to back (drift on a shared machine hits both sides of a pair), the
 * order alternating so neither side always runs on a warmer page cache.
 */
export async function runColdStart(sandbox: BenchSandbox, options: ColdStartOptions, log: (line: string) => void = () => {}): Promise<ColdStartRow[]> {
  const rows: ColdStartRow[] = [];
  for (const provider of PROVIDERS) {
    const target = targets(sandbox, provider);
    const row: ColdStartRow = { provider, fintoken: emptySide(), oauth4webapi: emptySide() };
    // One unmeasured pair: the first start after a build pays for reading files from disk.
    await once(emptySide(), 'fintoken', target.fintoken);
    await once(emptySide(), 'oauth4webapi', target.oauth4webapi);
    for (let pair = 0; pair < options.pairs; pair += 1) {
      const order = pair % 2 === 0 ? (['fintoken', 'oauth4webapi'] as const) : (['oauth4webapi', 'fintoken'] as const);
      for (const name of order) await once(row[name], name, target[name]);
    }
    rows.push(row);
    log(`  cold start @fintoken/${provider}: ${num(median(row.fintoken.wallMs))} ms / ${num(median(row.fintoken.maxRssMiB), 1)} MiB; oauth4webapi ${num(median(row.oauth4webapi.wallMs))} ms / ${num(median(row.oauth4webapi.maxRssMiB), 1)} MiB`);
  }
  return rows;
}

const msCell = (values: number[]) => `${num(median(values))} ms`;
const mibCell = (values: number[]) => `${num(median(values), 1)} MiB`;

export function reportColdStart(rows: ColdStartRow[], options: ColdStartOptions): ScenarioReport {
  const measured = rows.map((r) => {
    const wall = ratio(median(r.fintoken.wallMs), median(r.oauth4webapi.wallMs));
    const extraRss = median(r.fintoken.maxRssMiB) - median(r.oauth4webapi.maxRssMiB);
    return { ...r, wall, extraRss };
  });
  const table = {
    headers: ['provider package', 'fintoken: spawn to token', 'import', 'first token', 'peak RSS', 'oauth4webapi: spawn to token', 'import', 'first token', 'peak RSS', 'wall vs oauth4webapi', 'RSS vs oauth4webapi'],
    rows: measured.map((r) => [
      `@fintoken/${r.provider}`,
      msCell(r.fintoken.wallMs),
      msCell(r.fintoken.importMs),
      msCell(r.fintoken.tokenMs),
      mibCell(r.fintoken.maxRssMiB),
      msCell(r.oauth4webapi.wallMs),
      msCell(r.oauth4webapi.importMs),
      msCell(r.oauth4webapi.tokenMs),
      mibCell(r.oauth4webapi.maxRssMiB),
      times(r.wall),
      `${r.extraRss >= 0 ? '+' : ''}${num(r.extraRss, 1)} MiB`,
    ]),
  };
  const checks = measured.flatMap((r) => [
    { name: `cold start: @fintoken/${r.provider} spawn to first token <= ${MAX_WALL_RATIO}x oauth4webapi`, pass: r.wall <= MAX_WALL_RATIO, detail: times(r.wall) },
    { name: `cold start: @fintoken/${r.provider} peak RSS <= oauth4webapi + ${MAX_EXTRA_RSS_MIB} MiB`, pass: r.extraRss <= MAX_EXTRA_RSS_MIB, detail: `+${num(r.extraRss, 1)} MiB` },
  ]);
  const losses = measured
    .filter((r) => r.wall > 1 + 0.1 || r.extraRss > 0)
    .map(
      (r) =>
        `A fresh process with @fintoken/${r.provider} takes ${times(r.wall)} oauth4webapi's time to its first token (${msCell(r.fintoken.wallMs)} vs ${msCell(r.oauth4webapi.wallMs)}) and ${num(r.extraRss, 1)} MiB more peak RSS; most of the gap is importing (fintoken ${msCell(r.fintoken.importMs)}, oauth4webapi ${msCell(r.oauth4webapi.importMs)}: see scenario 11 for what fintoken's import is made of).`,
    );
  const verdict = [
    ...measured.map(
      (r) =>
        `@fintoken/${r.provider}: ${times(r.wall)} oauth4webapi's spawn-to-token time (target <= ${MAX_WALL_RATIO}x: ${r.wall <= MAX_WALL_RATIO ? 'met' : 'NOT met'}), ${r.extraRss >= 0 ? '+' : ''}${num(r.extraRss, 1)} MiB peak RSS (target <= +${MAX_EXTRA_RSS_MIB} MiB: ${r.extraRss <= MAX_EXTRA_RSS_MIB ? 'met' : 'NOT met'}).`,
    ),
    'Both sides load Node\'s built-in fetch on their first request (fintoken no longer loads the undici package unless a dispatcher or a proxy variable asks for it), so **first token** differs by the validation of the response and the cache entry, and **import** by the modules each loads.',
  ];
  return {
    id: 'cold-start',
    title: `10. Cold start: a fresh process to its first token, per provider package, vs oauth4webapi`,
    what: [
      `What a serverless function (Lambda, Vercel, Netlify) pays before its first token: a new \`node\` process (plain \`node\`, a clean environment: PATH only) imports one provider package, creates its client as the README shows and gets one token from the sandbox (\`src/coldstart/fintoken.mjs\`); the same with oauth4webapi making the same request to the same provider endpoint (\`src/coldstart/oauth4webapi.mjs\`). **spawn to token** is measured by the bench from \`spawn()\` to the child's report line (Node's boot included, as on a platform); **import** and **first token** are measured inside the child; **peak RSS** is the child's \`process.resourceUsage().maxRSS\` after the token. Medians over ${count(options.pairs, 'pair')} per provider, run back to back, alternating which goes first, after one unmeasured pair.`,
    ],
    tables: [table],
    verdict,
    losses,
    checks,
    data: { options, rows },
  };
}
