import { startSandbox, type Sandbox } from '@fintoken/sandbox';
import { createLayer1Client, type Layer1ClientOptions } from '../src/index.js';

export interface Layer1Fixture {
  sandbox: Sandbox;
  /** Token requests the emulated Keycloak realm has received since the last reset. */
  hits(): number;
  /** A client for the emulated realm; `realm` is Keycloak plumbing, not an option. */
  connect(extra?: Partial<Layer1ClientOptions>): ReturnType<typeof createLayer1Client>;
}

export async function layer1Fixture(tokenTtl?: number): Promise<Layer1Fixture> {
  const sandbox = await startSandbox({ providers: ['layer1'], ...(tokenTtl === undefined ? {} : { tokenTtl: { layer1: tokenTtl } }) });
  const { clientId, clientSecret } = sandbox.credentials.layer1;
  const { tokenUrl, apiUrl } = sandbox.urls.layer1;
  return {
    sandbox,
    hits: () => sandbox.stats.count('layer1.token'),
    connect: (extra = {}) => createLayer1Client({ clientId, clientSecret, tokenUrl, apiUrl, ...extra }),
  };
}
