import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { count, num, times } from '../util/format.js';
import { runFreshNode } from '../util/freshNode.js';
import { median, ratio } from '../util/stats.js';
import type { ScenarioReport } from './types.js';

export interface ImportTimeOptions {
  /** Fresh processes per module, the modules interleaved round by round. */
  rounds: number;
}

type Group = 'fintoken' | 'peer' | 'dependency';

interface ImportSpec {
  specifier: string;
  group: Group;
  /** Where the specifier resolves: bench (fintoken's packages, the peers) or core (its own dependencies). */
  from: 'bench' | 'core';
}

export interface ImportTimeRow extends ImportSpec {
  importMs: number[];
  maxRssMiB: number[];
}

export const PEER_MODULES = ['openid-client', '@badgateway/oauth2-client', 'oauth4webapi', 'simple-oauth2'] as const;
const PROVIDER_MODULES = ['@fintoken/layer', '@fintoken/thredfi', '@fintoken/asset', '@fintoken/layer1'] as const;

const SPECS: ImportSpec[] = [
  ...PROVIDER_MODULES.map((specifier) => ({ specifier, group: 'fintoken' as const, from: 'bench' as const })),
  { specifier: '@fintoken/core', group: 'fintoken', from: 'bench' },
  { specifier: '@fintoken/core/cache', group: 'fintoken', from: 'bench' },
  ...PEER_MODULES.map((specifier) => ({ specifier, group: 'peer' as const, from: 'bench' as const })),
  // What fintoken's import is made of (core's own dependencies, resolved from packages/core).
  ...['zod', 'zod/mini', 'jose', 'jose/jwt/decode', 'undici'].map((specifier) => ({ specifier, group: 'dependency' as const, from: 'core' as const })),
];

const dirs = { bench: fileURLToPath(new URL('../..', import.meta.url)), core: fileURLToPath(new URL('../../../packages/core', import.meta.url)) };
const probe = readFileSync(fileURLToPath(new URL('../coldstart/importTime.mjs', import.meta.url)), 'utf8');

/** `await import(x)` in a new process per module and round, the modules' order rotated each round. */
export async function runImportTime(options: ImportTimeOptions, log: (line: string) => void = () => {}): Promise<ImportTimeRow[]> {
  const rows: ImportTimeRow[] = SPECS.map((spec) => ({ ...spec, importMs: [], maxRssMiB: [] }));
  // One unmeasured pass: the first import after a build pays for reading files from disk.
  for (let round = -1; round < options.rounds; round += 1) {
    const offset = Math.max(0, round) % rows.length;
    for (const row of [...rows.slice(offset), ...rows.slice(0, offset)]) {
      const { report } = await runFreshNode(['--input-type=module', '-e', probe], { cwd: dirs[row.from], env: { FINTOKEN_BENCH_IMPORT: row.specifier } });
      if (round < 0) continue;
      row.importMs.push(report.importMs ?? Number.NaN);
      row.maxRssMiB.push((report.maxRssKiB ?? Number.NaN) / 1024);
    }
  }
  for (const row of rows) log(`  import ${row.specifier}: ${num(median(row.importMs), 1)} ms`);
  return rows;
}

const msCell = (values: number[]) => `${num(median(values), 1)} ms`;

export function reportImportTime(rows: ImportTimeRow[], options: ImportTimeOptions): ScenarioReport {
  const at = (specifier: string) => median(rows.find((r) => r.specifier === specifier)?.importMs ?? []);
  const label: Record<Group, string> = { fintoken: 'fintoken', peer: 'peer', dependency: "fintoken's dependency" };
  const all = {
    headers: ['module', 'what', '`await import()` (median)', 'min–max', 'peak RSS (median)'],
    rows: rows.map((r) => [
      `\`${r.specifier}\``,
      label[r.group],
      msCell(r.importMs),
      `${num(Math.min(...r.importMs), 1)}–${num(Math.max(...r.importMs), 1)} ms`,
      `${num(median(r.maxRssMiB), 1)} MiB`,
    ]),
  };
  const providers = rows.filter((r) => r.group === 'fintoken' && PROVIDER_MODULES.includes(r.specifier as never));
  const matrix = {
    headers: ['provider package', 'import', ...PEER_MODULES.map((p) => `vs ${p} (${msCell(rows.find((r) => r.specifier === p)?.importMs ?? [])})`)],
    rows: providers.map((r) => [`\`${r.specifier}\``, msCell(r.importMs), ...PEER_MODULES.map((p) => times(ratio(median(r.importMs), at(p))))]),
  };
  const slowest = Math.max(...providers.map((r) => median(r.importMs)));
  const fastestPeer = PEER_MODULES.reduce((best, p) => (at(p) < at(best) ? p : best), PEER_MODULES[0]);
  const losing = PEER_MODULES.filter((p) => slowest > at(p) * 1.1);
  const loss =
    losing.length === 0
      ? []
      : [
          `Importing a provider package takes up to ${num(slowest, 1)} ms, more than ${losing.join(', ')} (${losing.map((p) => `${num(at(p), 1)} ms`).join(', ')}). Of fintoken's own dependencies, zod would cost ${num(at('zod'), 1)} ms imported whole (\`zod/mini\` ${num(at('zod/mini'), 1)} ms: it loads all of zod's core and its 64 locales), so core bundles the tree-shaken part its schemas use (\`@fintoken/core/schema\`) and no provider imports zod at run time; jose's decoder ${num(at('jose/jwt/decode'), 1)} ms (all of jose: ${num(at('jose'), 1)} ms, no longer loaded), undici ${num(at('undici'), 1)} ms (loaded only for a dispatcher or a proxy); \`@fintoken/core/cache\` alone is ${num(at('@fintoken/core/cache'), 1)} ms.`,
        ];
  return {
    id: 'import-time',
    title: '11. Import time: each provider package against the four peers',
    what: [
      `\`await import(module)\` timed inside a new \`node\` process (plain \`node\`, clean environment; Node's boot excluded), one process per module and round, ${count(options.rounds, 'round')} with the order rotated each round, after one unmeasured pass. fintoken's packages and the peers resolve from bench; fintoken's own dependencies (undici, zod, jose) from packages/core, to show what a provider's import is made of. **peak RSS** is the process's after the import alone.`,
    ],
    tables: [all, matrix],
    verdict: [
      `The slowest provider package imports in ${num(slowest, 1)} ms; the fastest peer, ${fastestPeer}, in ${num(at(fastestPeer), 1)} ms.`,
      ...(loss.length > 0 ? loss : ['No peer imports more than 10 % faster than the slowest provider package.']),
    ],
    losses: loss,
    checks: [],
    data: { options, rows },
  };
}
