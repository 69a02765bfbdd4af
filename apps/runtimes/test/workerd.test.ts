import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { packageDir } from './support/binaries.js';
import { describeContract } from './support/contract.js';

/**
 * Bundle the worker the way wrangler does for workerd: ESM, the `workerd`/`worker`/`browser`
 * export conditions, no Node platform. Without `nodejs_compat`, an import of a Node built-in
 * fails the bundle (esbuild cannot resolve it) or the worker's startup.
 */
async function bundleWorker(): Promise<string> {
  const outdir = await mkdtemp(join(tmpdir(), 'fintoken-worker-'));
  try {
    await build({
      entryPoints: [join(packageDir, 'servers/worker.mjs')],
      outfile: join(outdir, 'worker.js'),
      bundle: true,
      format: 'esm',
      platform: 'neutral',
      target: 'es2022',
      conditions: ['workerd', 'worker', 'browser'],
      mainFields: ['browser', 'module', 'main'],
      // Bundle the packages as npm ships them: no tsconfig.json. (esbuild otherwise applies each
      // workspace package's tsconfig `paths`, e.g. core's type-checking alias for `#transport`.)
      tsconfigRaw: {},
      logLevel: 'silent',
    });
    return await readFile(join(outdir, 'worker.js'), 'utf8');
  } finally {
    await rm(outdir, { recursive: true, force: true });
  }
}

// workerd (Cloudflare Workers' runtime) through miniflare, on its own HTTP port on loopback.
// One worker, one isolate: every request of the contract reaches the same token cache.
describeContract('workerd (miniflare)', async (env) => {
  const mf = new Miniflare({
    modules: true,
    script: await bundleWorker(),
    compatibilityDate: '2025-09-01',
    bindings: env,
    host: '127.0.0.1',
    port: 0,
  });
  const url = await mf.ready;
  return { url: url.origin, close: () => mf.dispose() };
});
