import { join } from 'node:path';
import { Miniflare } from 'miniflare';
import { bundleForWorkerd } from '../../../packages/cloudflare/test/support/workerd.js';
import { packageDir } from './support/binaries.js';
import { describeContract } from './support/contract.js';

// workerd (Cloudflare Workers' runtime) through miniflare, on its own HTTP port on loopback.
// One worker, one isolate: every request of the contract reaches the same token cache.
describeContract('workerd (miniflare)', async (env) => {
  const mf = new Miniflare({
    modules: true,
    script: await bundleForWorkerd(join(packageDir, 'servers/worker.mjs')),
    compatibilityDate: '2025-09-01',
    bindings: env,
    host: '127.0.0.1',
    port: 0,
  });
  const url = await mf.ready;
  return { url: url.origin, close: () => mf.dispose() };
});
