import { startSandbox, type Sandbox } from '@fintoken/sandbox';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { createAssetClient, type AssetClientOptions } from '../src/index.js';

export interface AssetSandbox {
  sandbox: Sandbox;
  /** A client pointed at the emulator, as the README shows, with overrides. */
  client(overrides?: Partial<AssetClientOptions>): ReturnType<typeof createAssetClient>;
  /** Requests `POST /v0/auth/token` has received since the last test began. */
  tokenRequests(): number;
}

/**
 * One Asset emulator for the file (started in beforeAll, closed in afterAll); counters, faults
 * and clock skew are reset before each test. Fields are filled in once beforeAll has run.
 */
export function useAssetSandbox(): AssetSandbox {
  const env = {} as AssetSandbox;
  beforeAll(async () => {
    const sandbox = await startSandbox({ providers: ['asset'] });
    env.sandbox = sandbox;
    env.client = (overrides = {}) =>
      createAssetClient({ ...sandbox.credentials.asset, environment: 'sandbox', baseUrl: sandbox.urls.asset.baseUrl, ...overrides });
    env.tokenRequests = () => sandbox.stats.count('asset.token');
  });
  afterAll(() => env.sandbox?.close());
  beforeEach(() => {
    env.sandbox.stats.reset();
    env.sandbox.faults.clear();
    env.sandbox.clock.setSkewMs(0);
  });
  return env;
}
