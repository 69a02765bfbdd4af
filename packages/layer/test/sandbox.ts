import { startSandbox, type Sandbox, type SandboxOptions } from '@fintoken/sandbox';
import { createLayerClient, type LayerClient, type LayerClientOptions } from '../src/index.js';

/** A Layer-only sandbox and a factory for clients pointed at it. */
export interface LayerHarness {
  sandbox: Sandbox;
  client(overrides?: Partial<LayerClientOptions>): LayerClient;
  active: string[];
}

export async function startLayer(options: SandboxOptions = {}): Promise<LayerHarness> {
  const sandbox = await startSandbox({ providers: ['layer'], ...options });
  const { clientId, clientSecret } = sandbox.credentials.layer;
  return {
    sandbox,
    active: sandbox.businesses.layer.active,
    client: (overrides = {}) =>
      createLayerClient({
        clientId,
        clientSecret,
        environment: 'sandbox',
        authUrl: sandbox.urls.layer.authUrl,
        apiUrl: sandbox.urls.layer.apiUrl,
        ...overrides,
      }),
  };
}
