import { randomUUID } from 'node:crypto';
import { createAssetClient } from '@fintoken/asset';
import { decodeJwtClaims, FintokenError, type Token } from '@fintoken/core';
import { createLayerClient } from '@fintoken/layer';
import { startSandbox, type Sandbox } from '@fintoken/sandbox';
import { createThredfiClient } from '@fintoken/thredfi';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEchoProvider, type EchoProvider } from './support/echoProvider.js';
import { expectNoUnhandledRejections, trackUnhandledRejections } from './support/unhandled.js';

const rejections = trackUnhandledRejections();

type Provider = 'layer' | 'thredfi' | 'asset';

/** One request of an interleaving: which provider and business, and how it asks. */
interface Ask {
  provider: Provider;
  business: number;
  mode: 'cached' | 'force' | 'invalidate';
}

interface Clients {
  businesses: Record<Provider, string[]>;
  /** Businesses the provider refuses (archived, another partner's, forbidden): an error is right for them. */
  refused: Set<string>;
  get(ask: Ask): Promise<Token>;
}

function clientsFor(businesses: Record<Provider, string[]>, refused: string[], urls: { layerAuth: string; layerApi: string; thredfi: string; asset: string }, creds: {
  layer: { clientId: string; clientSecret: string };
  thredfi: { partnerId: string; apiKey: string };
  asset: { clientId: string; clientSecret: string };
}): Clients {
  const retry = { attempts: 2, baseDelayMs: 5, maxDelayMs: 20 };
  const layer = createLayerClient({ ...creds.layer, environment: 'sandbox', authUrl: urls.layerAuth, apiUrl: urls.layerApi, retry });
  const thredfi = createThredfiClient({ ...creds.thredfi, baseUrl: urls.thredfi, retry });
  const asset = createAssetClient({ ...creds.asset, environment: 'sandbox', baseUrl: urls.asset, retry });
  return {
    businesses,
    refused: new Set(refused),
    async get({ provider, business, mode }) {
      const businessId = businesses[provider][business % businesses[provider].length]!;
      const client = provider === 'layer' ? layer : provider === 'thredfi' ? thredfi : asset;
      if (mode === 'invalidate') await client.invalidate({ businessId });
      return client.getToken({ businessId, ...(mode === 'force' ? { forceRefresh: true } : {}) });
    },
  };
}

const asks = (minLength: number, maxLength: number) =>
  fc.array(
    fc.record({
      provider: fc.constantFrom<Provider>('layer', 'thredfi', 'asset'),
      business: fc.nat({ max: 1_000 }),
      mode: fc.constantFrom<Ask['mode']>('cached', 'cached', 'force', 'invalidate'),
    }),
    { minLength, maxLength },
  );

/**
 * Start every ask in an order the fast-check scheduler picks, let them race, and check each
 * result: a token whose JWT `business_id` claim (and `businessId`) is the business asked for,
 * or, only for a business the provider refuses, a typed error.
 */
async function checkInterleaving(clients: Clients, s: fc.Scheduler, list: Ask[]): Promise<void> {
  const runs = list.map((ask) =>
    s
      .schedule(Promise.resolve(ask), `${ask.mode} ${ask.provider}#${ask.business}`)
      .then((a) => clients.get(a))
      .then(
        (token) => ({ ask, token, error: undefined as unknown }),
        (error: unknown) => ({ ask, token: undefined, error }),
      ),
  );
  await s.waitAll();
  for (const { ask, token, error } of await Promise.all(runs)) {
    const requested = clients.businesses[ask.provider][ask.business % clients.businesses[ask.provider].length]!;
    if (error !== undefined) {
      expect(error).toBeInstanceOf(FintokenError);
      expect(clients.refused.has(requested), `${ask.provider} ${requested} failed: ${String(error)}`).toBe(true);
      continue;
    }
    expect(clients.refused.has(requested)).toBe(false);
    expect(token!.businessId).toBe(requested);
    expect(decodeJwtClaims(token!.accessToken)?.business_id).toBe(requested);
  }
}

describe('business isolation against the sandbox (responses delayed 0-20 ms at random)', () => {
  let sandbox: Sandbox;
  let clients: Clients;
  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 'isolation' });
    for (const endpoint of ['layer.businessToken', 'thredfi.businessToken', 'asset.token'] as const) {
      sandbox.faults.inject(endpoint, { latencyMs: [0, 20], times: Infinity });
    }
    const b = sandbox.businesses;
    clients = clientsFor(
      { layer: [...b.layer.active, b.layer.archived], thredfi: [...b.thredfi.owned, b.thredfi.foreign], asset: [...b.asset.allowed, b.asset.forbidden] },
      [b.layer.archived, b.thredfi.foreign, b.asset.forbidden],
      { layerAuth: sandbox.urls.layer.authUrl, layerApi: sandbox.urls.layer.apiUrl, thredfi: sandbox.urls.thredfi.baseUrl, asset: sandbox.urls.asset.baseUrl },
      sandbox.credentials,
    );
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  it("every token returned carries the business asked for, whatever the interleaving (property)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), asks(5, 40), (s, list) => checkInterleaving(clients, s, list)),
      { numRuns: 25, seed: 1_234 },
    );
    expect(sandbox.stats.count('layer.businessToken')).toBeGreaterThan(0);
  });
});

describe('business isolation across 40 businesses per provider (any business id, out-of-order answers)', () => {
  let echo: EchoProvider;
  let clients: Clients;
  beforeAll(async () => {
    echo = await startEchoProvider(15);
    const many = (make: () => string) => Array.from({ length: 40 }, make);
    clients = clientsFor(
      { layer: many(randomUUID), thredfi: many(randomUUID), asset: many(() => `biz_${randomUUID().replaceAll('-', '')}`) },
      [],
      { layerAuth: `${echo.url}/layer/oauth2/token`, layerApi: `${echo.url}/layer`, thredfi: `${echo.url}/thredfi`, asset: `${echo.url}/asset` },
      {
        layer: { clientId: 'echo-layer', clientSecret: 'echo-layer-secret' },
        thredfi: { partnerId: randomUUID(), apiKey: 'sk_test_echo' },
        asset: { clientId: 'echo-asset', clientSecret: 'echo-asset-secret' },
      },
    );
  });
  afterAll(async () => {
    await echo?.close();
  });

  it('every token returned carries the business asked for, whatever the interleaving (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), asks(20, 80), (s, list) => checkInterleaving(clients, s, list)),
      { numRuns: 30, seed: 5_678 },
    );
    expect(echo.requests).toBeGreaterThan(300);
  });
});

expectNoUnhandledRejections(rejections);
