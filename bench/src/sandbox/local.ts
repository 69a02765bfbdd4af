import { startSandbox } from '@fintoken/sandbox';
import type { BenchSandbox, BenchSandboxOptions, SandboxInfo } from './types.js';

/** A sandbox in this process: what tests use (no child process to manage). All four providers: the cold-start rows need each. */
export async function startLocalSandbox(options: BenchSandboxOptions = {}): Promise<BenchSandbox> {
  const sandbox = await startSandbox({ ...options, providers: ['layer', 'thredfi', 'asset', 'layer1'] });
  const info = describe(sandbox);
  return {
    ...info,
    count: async (endpoint) => sandbox.stats.count(endpoint),
    reset: async () => sandbox.stats.reset(),
    setSkewMs: async (ms) => sandbox.clock.setSkewMs(ms),
    inject: async (endpoint, fault) => sandbox.faults.inject(endpoint, fault),
    clearFaults: async () => sandbox.faults.clear(),
    close: () => sandbox.close(),
  };
}

export function describe(sandbox: Awaited<ReturnType<typeof startSandbox>>): SandboxInfo {
  const businessId = sandbox.businesses.layer.active[0];
  if (businessId === undefined) throw new Error('The sandbox has no active Layer business');
  return {
    url: sandbox.url,
    admin: sandbox.urls.admin,
    tokenUrl: sandbox.urls.layer1.tokenUrl,
    layer1ApiUrl: sandbox.urls.layer1.apiUrl,
    credentials: { clientId: sandbox.credentials.layer1.clientId, clientSecret: sandbox.credentials.layer1.clientSecret },
    layer: {
      authUrl: sandbox.urls.layer.authUrl,
      apiUrl: sandbox.urls.layer.apiUrl,
      clientId: sandbox.credentials.layer.clientId,
      clientSecret: sandbox.credentials.layer.clientSecret,
      businessId,
    },
    thredfi: { baseUrl: sandbox.urls.thredfi.baseUrl, ...sandbox.credentials.thredfi },
    asset: { baseUrl: sandbox.urls.asset.baseUrl, ...sandbox.credentials.asset },
  };
}
