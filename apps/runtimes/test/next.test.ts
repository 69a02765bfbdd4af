import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { beforeAll } from 'vitest';
import { repoRoot } from './support/binaries.js';
import { run, startServer } from './support/child.js';
import { describeContract, type StartServer } from './support/contract.js';

const appDir = join(repoRoot, 'apps/next');
const nextBin = join(createRequire(join(appDir, 'package.json')).resolve('next/package.json'), '../dist/bin/next');
const env = { NEXT_TELEMETRY_DISABLED: '1' };

// `turbo run test` builds apps/next first (its `build` is `next build`, cached by turbo); a bare
// `vitest run` here builds it when no build is there.
beforeAll(async () => {
  if (existsSync(join(appDir, '.next/BUILD_ID'))) return;
  const { code, output } = await run(process.execPath, [nextBin, 'build'], { cwd: appDir, env, timeoutMs: 300_000 });
  if (code !== 0) throw new Error(`next build failed:\n${output.slice(-4000)}`);
}, 330_000);

/** `next start` on loopback; Next prints the port it got for `-p 0`. */
const nextStart: StartServer = (settings) =>
  startServer(process.execPath, [nextBin, 'start', '-H', '127.0.0.1', '-p', '0'], {
    cwd: appDir,
    env: { ...env, ...settings },
    port: /Local:\s+http:\/\/127\.0\.0\.1:(\d+)/,
    timeoutMs: 60_000,
  });

// app/api/layer-token/route.ts and app/api/whoami/route.ts: runtime = 'nodejs'.
describeContract('Next.js (Node runtime)', nextStart, { token: '/api/layer-token', whoami: '/api/whoami' });
// app/api/edge/*/route.ts: the same handlers with runtime = 'edge'.
describeContract('Next.js (edge runtime)', nextStart, { token: '/api/edge/layer-token', whoami: '/api/edge/whoami' });
