import { startSandbox, type Sandbox } from '@fintoken/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemo, type Demo } from '../src/server.js';
import { claimsOf, postJson, signIn } from './helpers.js';

// A second sandbox plays "the real providers": the demo must reach it only through the
// configuration a user would write in .env.
let real: Sandbox;
beforeAll(async () => {
  real = await startSandbox({ port: 0, seed: 'the-real-one' });
});
afterAll(() => real?.close());

const liveEnv = (r: Sandbox) => ({
  LAYER_CLIENT_ID: r.credentials.layer.clientId,
  LAYER_CLIENT_SECRET: r.credentials.layer.clientSecret,
  LAYER_ENVIRONMENT: 'sandbox',
  LAYER_AUTH_URL: r.urls.layer.authUrl,
  LAYER_API_URL: r.urls.layer.apiUrl,
  DEMO_BUSINESSES_ALICE: `layer=${r.businesses.layer.active[2]}`,
});

describe('per-provider configuration', () => {
  let demo: Demo;
  afterAll(() => demo?.close());

  it('talks to the configured Layer and keeps the embedded sandbox for the rest', async () => {
    demo = await startDemo({ port: 0, env: liveEnv(real), log: () => undefined });
    expect(demo.modes).toEqual({ layer: 'live', thredfi: 'sandbox', asset: 'sandbox', layer1: 'sandbox' });
    expect(demo.sandbox).toBeDefined();
    const alice = await signIn(demo, 'alice');

    const layer = (await (await postJson(`${demo.url}/api/layer/token`, alice)).json()) as { access_token: string; business_id: string };
    expect(layer.business_id).toBe(real.businesses.layer.active[2]);
    expect(claimsOf(layer.access_token).iss).toBe(`${real.url}/layer`);
    expect(real.stats.count('layer.businessToken')).toBe(1);

    const asset = (await (await postJson(`${demo.url}/api/asset/token`, alice)).json()) as { access_token: string };
    expect(claimsOf(asset.access_token).iss).toBe(`${demo.sandbox!.url}/asset`);
    expect(real.stats.count('asset.token')).toBe(0);
    // Thredfi stays on the embedded sandbox, server-side.
    expect((await (await fetch(`${demo.url}/api/thredfi/server-call`, { headers: { cookie: alice } })).json()) as { status: number }).toMatchObject({ status: 200 });
    expect(real.stats.count('thredfi.businessToken')).toBe(0);

    // The page's proxy follows the configuration too, and a real provider cannot be told to fail.
    const proxied = await fetch(`${demo.url}/proxy/layer/v1/businesses/${layer.business_id}`, {
      headers: { cookie: alice, authorization: `Bearer ${layer.access_token}` },
    });
    expect(proxied.status).toBe(200);
    expect((await postJson(`${demo.url}/api/layer/faults`, alice, { kind: 'unauthorized' })).status).toBe(409);
    expect((await postJson(`${demo.url}/api/thredfi/faults`, alice, { kind: 'unauthorized' })).status).toBe(201);
  });
});

describe('every provider live', () => {
  let demo: Demo;
  afterAll(() => demo?.close());

  it('starts no sandbox at all', async () => {
    demo = await startDemo({
      port: 0,
      log: () => undefined,
      env: {
        ...liveEnv(real),
        THREDFI_PARTNER_ID: real.credentials.thredfi.partnerId,
        THREDFI_API_KEY: real.credentials.thredfi.apiKey,
        THREDFI_BASE_URL: real.urls.thredfi.baseUrl,
        ASSET_CLIENT_ID: real.credentials.asset.clientId,
        ASSET_CLIENT_SECRET: real.credentials.asset.clientSecret,
        ASSET_BASE_URL: real.urls.asset.baseUrl,
        LAYER1_CLIENT_ID: real.credentials.layer1.clientId,
        LAYER1_CLIENT_SECRET: real.credentials.layer1.clientSecret,
        LAYER1_TOKEN_URL: real.urls.layer1.tokenUrl,
        LAYER1_API_URL: real.urls.layer1.apiUrl,
      },
    });
    expect(demo.sandbox).toBeUndefined();
    expect(new Set(Object.values(demo.modes))).toEqual(new Set(['live']));
    const alice = await signIn(demo, 'alice');
    const call = await fetch(`${demo.url}/api/layer1/server-call`, { headers: { cookie: alice } });
    expect(((await call.json()) as { status: number }).status).toBe(200);
    expect(real.stats.count('layer1.api')).toBe(1);
    // Without DEMO_BUSINESSES for Thredfi, alice acts for no Thredfi business.
    expect((await fetch(`${demo.url}/api/thredfi/server-call`, { headers: { cookie: alice } })).status).toBe(403);
    expect((await postJson(`${demo.url}/api/layer1/faults`, alice, { kind: 'burst503' })).status).toBe(409);
  });
});

describe('an external sandbox (SANDBOX_URL)', () => {
  let demo: Demo;
  afterAll(() => demo?.close());

  it('reads its credentials and businesses from the admin API and injects faults there', async () => {
    demo = await startDemo({ port: 0, env: { SANDBOX_URL: real.url }, log: () => undefined });
    expect(demo.sandbox).toBeUndefined();
    const alice = await signIn(demo, 'alice');
    const token = (await (await postJson(`${demo.url}/api/asset/token`, alice)).json()) as { business_id: string };
    expect(token.business_id).toBe(real.businesses.asset.allowed[0]);
    expect((await postJson(`${demo.url}/api/asset/faults`, alice, { kind: 'apiError' })).status).toBe(201);
    const proxied = await fetch(`${demo.url}/proxy/asset/v0/businesses/${token.business_id}`, { headers: { cookie: alice } });
    expect(proxied.status).toBe(503);
  });
});

describe('SANDBOX_SEED', () => {
  it("keeps the embedded sandbox's credentials and business ids across starts", async () => {
    const reference = await startSandbox({ port: 0, seed: 'demo-seed' });
    const demo = await startDemo({ port: 0, env: { SANDBOX_SEED: 'demo-seed' }, log: () => undefined });
    try {
      expect(demo.sandbox!.businesses).toEqual(reference.businesses);
      expect(demo.sandbox!.credentials).toEqual(reference.credentials);
    } finally {
      await Promise.all([demo.close(), reference.close()]);
    }
  });
});
