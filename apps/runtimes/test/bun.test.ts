import { join } from 'node:path';
import { bunBinary, packageDir } from './support/binaries.js';
import { startServer } from './support/child.js';
import { describeContract } from './support/contract.js';

// Bun.serve, run by the Bun binary from the `bun` npm package.
describeContract('Bun', (env) =>
  startServer(bunBinary(), ['run', join(packageDir, 'servers/bun.mjs')], {
    cwd: packageDir,
    env: { ...env, DO_NOT_TRACK: '1', BUN_RUNTIME_TRANSPILER_CACHE_PATH: '0' },
  }),
);
