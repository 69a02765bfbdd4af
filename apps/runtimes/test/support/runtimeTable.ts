import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The packages the README's runtime table has columns for. */
export const tablePackages = ['core', 'layer', 'thredfi', 'asset', 'layer1', 'web', 'express', 'fetch', 'redis'] as const;
type TablePackage = (typeof tablePackages)[number];

/** What the contract app (servers/app.mjs, apps/next/lib/fintoken.ts) runs in each runtime. */
export const contractPackages: readonly TablePackage[] = ['core', 'layer', 'web'];

/** Runtimes the contract (test/support/contract.ts) runs in: the label its `describeContract` names, and the file. */
export const contractRuntimes = [
  { row: 'workerd (miniflare)', label: 'workerd (miniflare)', file: 'apps/runtimes/test/workerd.test.ts' },
  { row: 'Next.js 16, Node runtime', label: 'Next.js (Node runtime)', file: 'apps/runtimes/test/next.test.ts' },
  { row: 'Next.js 16, edge runtime', label: 'Next.js (edge runtime)', file: 'apps/runtimes/test/next.test.ts' },
  { row: 'Hono on Node (@hono/node-server)', label: 'Hono on Node', file: 'apps/runtimes/test/hono-node.test.ts' },
  { row: 'Bun', label: 'Bun', file: 'apps/runtimes/test/bun.test.ts' },
  { row: 'Deno', label: 'Deno', file: 'apps/runtimes/test/deno.test.ts' },
] as const;

/** Suites test/nodeVersions.test.ts runs under each Node from npm. */
export const providerSuites = ['layer', 'thredfi', 'asset', 'layer1'] as const satisfies readonly TablePackage[];
export const nodeMajors = [22, 24] as const;
export const nodeVersionsFile = 'apps/runtimes/test/nodeVersions.test.ts';

/** The browser tests: @fintoken/fetch in headless Chromium. */
export const chromiumFile = 'packages/fetch/test/browser.test.ts';

interface Row {
  runtime: string;
  /** Package -> the test file (or folder) that proves it there. */
  cells: Partial<Record<TablePackage, string>>;
}

function row(runtime: string, packages: readonly TablePackage[], file: (pkg: TablePackage) => string): Row {
  return { runtime, cells: Object.fromEntries(packages.map((pkg) => [pkg, file(pkg)])) };
}

/** The table, derived from what the runtime tests run; `repoRoot` decides which packages have a test folder. */
export function runtimeRows(repoRoot: string): Row[] {
  const withTests = tablePackages.filter((pkg) => existsSync(join(repoRoot, 'packages', pkg, 'test')));
  return [
    row('Node 20 (the machine’s)', withTests, (pkg) => `packages/${pkg}/test`),
    ...nodeMajors.map((major) => row(`Node ${major} (npm \`node@${major}\`)`, providerSuites, () => nodeVersionsFile)),
    ...contractRuntimes.map(({ row: name, file }) => row(name, contractPackages, () => file)),
    row('Chromium (headless)', ['fetch'], () => chromiumFile),
  ];
}

/** The markdown the README holds between its runtime-table markers. */
export function renderRuntimeTable(rows: Row[]): string {
  const header = `| runtime | ${tablePackages.map((pkg) => `\`${pkg}\``).join(' | ')} |`;
  const rule = `|---|${tablePackages.map(() => ':-:').join('|')}|`;
  const lines = rows.map((r) => `| ${r.runtime} | ${tablePackages.map((pkg) => (r.cells[pkg] === undefined ? '–' : `[✓](${r.cells[pkg]})`)).join(' | ')} |`);
  return [header, rule, ...lines].join('\n');
}
