import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { num, times } from '../util/format.js';
import type { ScenarioReport } from './types.js';

// The target: each provider client's Worker bundle at most twice oauth4webapi's whole library.
const MAX_RATIO = 2;

interface BundleSpec {
  name: string;
  /** The entry a Worker would write. */
  contents: string;
  group: 'fintoken' | 'oauth4webapi';
  /** The reference the fintoken rows are held to. */
  reference?: boolean;
}

const SPECS: BundleSpec[] = [
  { name: 'createLayerClient', contents: "export { createLayerClient } from '@fintoken/layer';", group: 'fintoken' },
  { name: 'createThredfiClient', contents: "export { createThredfiClient } from '@fintoken/thredfi';", group: 'fintoken' },
  { name: 'createAssetClient', contents: "export { createAssetClient } from '@fintoken/asset';", group: 'fintoken' },
  { name: 'createLayer1Client', contents: "export { createLayer1Client } from '@fintoken/layer1';", group: 'fintoken' },
  { name: 'oauth4webapi (whole library)', contents: "export * from 'oauth4webapi';", group: 'oauth4webapi', reference: true },
  {
    name: 'oauth4webapi (client-credentials subset)',
    contents: "export { clientCredentialsGrantRequest, processClientCredentialsResponse, ClientSecretPost, ClientSecretBasic } from 'oauth4webapi';",
    group: 'oauth4webapi',
  },
];

export interface WorkerBundleRow {
  name: string;
  group: BundleSpec['group'];
  reference: boolean;
  minBytes: number;
  gzipBytes: number;
  /** Minified bytes per package (node_modules name, or the workspace package's folder). */
  byPackage: Record<string, number>;
}

const benchDir = fileURLToPath(new URL('../..', import.meta.url));

function packageOf(path: string): string {
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path.replace(/^.*node_modules\/\.pnpm\/[^/]+\//, ''));
  if (modules !== null) return modules[1] as string;
  const workspace = /packages\/([^/]+)\//.exec(path);
  return workspace === null ? path : `@fintoken/${workspace[1]}`;
}

function sizesByPackage(metafile: Metafile): Record<string, number> {
  const sizes: Record<string, number> = {};
  for (const output of Object.values(metafile.outputs)) {
    for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = packageOf(path);
      sizes[name] = (sizes[name] ?? 0) + bytesInOutput;
    }
  }
  return sizes;
}

/**
 * Each entry bundled as wrangler bundles a Worker (esbuild, conditions workerd, worker, browser,
 * platform neutral, ESM), minified, then gzipped at level 9; resolved through the built packages,
 * as a user's bundler sees them.
 */
export async function runWorkerBundle(log: (line: string) => void = () => {}): Promise<WorkerBundleRow[]> {
  const rows: WorkerBundleRow[] = [];
  for (const spec of SPECS) {
    const result = await build({
      stdin: { contents: spec.contents, resolveDir: benchDir, loader: 'js' },
      bundle: true,
      platform: 'neutral',
      conditions: ['workerd', 'worker', 'browser'],
      mainFields: ['browser', 'module', 'main'],
      target: 'es2022',
      format: 'esm',
      minify: true,
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const code = result.outputFiles[0]?.contents ?? new Uint8Array();
    const row = {
      name: spec.name,
      group: spec.group,
      reference: spec.reference === true,
      minBytes: code.byteLength,
      gzipBytes: gzipSync(code, { level: 9 }).byteLength,
      byPackage: sizesByPackage(result.metafile),
    };
    rows.push(row);
    log(`  worker bundle ${spec.name}: ${row.minBytes} B min, ${row.gzipBytes} B gz`);
  }
  return rows;
}

const kB = (bytes: number) => `${num(bytes / 1000, 1)} kB`;

export function reportWorkerBundle(rows: WorkerBundleRow[]): ScenarioReport {
  const reference = rows.find((r) => r.reference);
  const fintoken = rows.filter((r) => r.group === 'fintoken');
  const ratioOf = (r: WorkerBundleRow) => (reference === undefined ? Number.NaN : r.gzipBytes / reference.gzipBytes);
  const composition = (r: WorkerBundleRow) =>
    Object.entries(r.byPackage)
      .sort((a, b) => b[1] - a[1])
      .filter(([, bytes]) => bytes >= 100)
      .map(([name, bytes]) => `${name} ${kB(bytes)}`)
      .join(', ');
  const table = {
    headers: ['bundle', 'minified', 'min + gz', 'vs oauth4webapi (whole, min + gz)', 'minified bytes by package'],
    rows: rows.map((r) => [r.name, kB(r.minBytes), kB(r.gzipBytes), times(ratioOf(r)), composition(r)]),
  };
  const checks = fintoken.map((r) => ({
    name: `worker bundle: ${r.name} <= ${MAX_RATIO}x oauth4webapi's whole library (min + gz)`,
    pass: ratioOf(r) <= MAX_RATIO,
    detail: `${kB(r.gzipBytes)}, ${times(ratioOf(r))}`,
  }));
  const over = fintoken.filter((r) => !(ratioOf(r) <= MAX_RATIO));
  const losses = over.map(
    (r) => `The Worker bundle of ${r.name} is ${kB(r.gzipBytes)} min + gz, ${times(ratioOf(r))} oauth4webapi's whole library (${reference === undefined ? 'n/a' : kB(reference.gzipBytes)}); by package, minified: ${composition(r)}.`,
  );
  return {
    id: 'worker-bundle',
    title: '12. Worker bundle: each provider client as wrangler bundles it, vs oauth4webapi',
    what: [
      "Each row is one entry a Cloudflare Worker would write (`export { createLayerClient } from '@fintoken/layer'`, ...), bundled as wrangler does (esbuild, conditions `workerd`, `worker`, `browser`, platform neutral, ESM), minified, then gzipped (level 9), through the built packages. The reference is oauth4webapi's whole library (`export * from 'oauth4webapi'`); its client-credentials subset is shown too. **by package** splits the minified bytes by the package they come from (esbuild's metafile).",
    ],
    tables: [table],
    verdict: [
      ...fintoken.map((r) => `${r.name}: ${kB(r.gzipBytes)} min + gz, ${times(ratioOf(r))} oauth4webapi (target <= ${MAX_RATIO}x: ${ratioOf(r) <= MAX_RATIO ? 'met' : 'NOT met'}).`),
      ...(over.length > 0 ? losses : []),
    ],
    losses,
    checks,
    data: rows,
  };
}
