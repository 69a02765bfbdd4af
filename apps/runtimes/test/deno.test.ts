import { join } from 'node:path';
import { denoBinary, packageDir } from './support/binaries.js';
import { startServer } from './support/child.js';
import { describeContract } from './support/contract.js';

// Deno.serve, run by the Deno binary from the `deno` npm package. Packages resolve from
// node_modules (Deno's "bring your own node_modules" mode, chosen because package.json is there);
// permissions: loopback only, the environment, and reading the installed packages.
describeContract('Deno', (env) =>
  startServer(
    denoBinary(),
    ['run', '--no-lock', '--no-prompt', '--allow-net=127.0.0.1', '--allow-env', '--allow-read', join(packageDir, 'servers/deno.mjs')],
    { cwd: packageDir, env: { ...env, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' } },
  ),
);
