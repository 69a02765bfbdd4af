import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { endpointNames, startSandbox, type Sandbox } from '../src/index.js';
import { call, jsonHeaders } from './helpers.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ seed: 'admin-tests' });
});
beforeEach(() => {
  sandbox.faults.clear();
  sandbox.stats.reset();
  sandbox.clock.setSkewMs(0);
});
afterAll(() => sandbox.close());

const admin = (path: string, method: 'GET' | 'POST' | 'DELETE' = 'GET', body?: unknown) =>
  call(`${sandbox.urls.admin}${path}`, {
    method,
    headers: body === undefined ? {} : jsonHeaders,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const whoami = () => call(`${sandbox.urls.layer.apiUrl}/whoami`);

describe('stats', () => {
  it('snapshot lists every endpoint, zeroes included', () => {
    expect(Object.keys(sandbox.stats.snapshot()).sort()).toEqual([...endpointNames].sort());
    expect(Object.values(sandbox.stats.snapshot()).every((n) => n === 0)).toBe(true);
  });

  it('counts endpoint requests but not JWKS, unknown paths or admin calls', async () => {
    await whoami();
    await whoami();
    await call(sandbox.jwks.layer);
    await call(`${sandbox.url}/layer/nowhere`);
    await call(`${sandbox.url}/nowhere`);
    await admin('/stats');
    expect(sandbox.stats.count('layer.whoami')).toBe(2);
    expect(Object.values(sandbox.stats.snapshot()).reduce((a, b) => a + b, 0)).toBe(2);
    sandbox.stats.reset();
    expect(sandbox.stats.count('layer.whoami')).toBe(0);
  });
});

describe('admin API under /__admin', () => {
  it('GET /stats and POST /stats/reset', async () => {
    await whoami();
    expect((await admin('/stats')).json['layer.whoami']).toBe(1);
    expect((await admin('/stats/reset', 'POST')).json['layer.whoami']).toBe(0);
    expect(sandbox.stats.count('layer.whoami')).toBe(0);
  });

  it('POST /faults queues a fault; times -1 and "Infinity" mean until cleared', async () => {
    const queued = await admin('/faults', 'POST', { endpoint: 'layer.whoami', fault: { status: 503, times: -1 } });
    expect(queued.status).toBe(201);
    expect(queued.json.pending).toEqual([{ status: 503, times: 'Infinity', remaining: 'Infinity' }]);
    for (let i = 0; i < 3; i++) expect((await whoami()).status).toBe(503);
    expect((await admin('/faults?endpoint=layer.whoami', 'DELETE')).status).toBe(200);
    expect((await whoami()).status).toBe(401);

    await admin('/faults', 'POST', { endpoint: 'layer.whoami', fault: { status: 502, times: 'Infinity' } });
    await admin('/faults', 'POST', { endpoint: 'layer.token', fault: [{ status: 500 }, { latencyMs: [1, 2] }] });
    expect(Object.keys((await admin('/faults')).json.pending).sort()).toEqual(['layer.token', 'layer.whoami']);
    await admin('/faults', 'DELETE');
    expect((await admin('/faults')).json.pending).toEqual({});
  });

  it('answers 400 for bad fault requests', async () => {
    expect((await admin('/faults', 'POST', { endpoint: 'nope', fault: { status: 500 } })).status).toBe(400);
    const typo = await admin('/faults', 'POST', { endpoint: 'layer.token', fault: { latency: 5 } });
    expect(typo.status).toBe(400);
    expect(typo.json.error).toMatch(/latency/);
    expect((await admin('/faults', 'POST', { endpoint: 'layer.token' })).status).toBe(400);
    expect((await call(`${sandbox.urls.admin}/faults`, { method: 'POST', body: 'not json' })).status).toBe(400);
    expect((await admin('/faults?endpoint=nope', 'DELETE')).status).toBe(400);
  });

  it('POST /clock sets the skew', async () => {
    const res = await admin('/clock', 'POST', { skewMs: 60_000 });
    expect(res.json.skewMs).toBe(60_000);
    expect(Math.abs(sandbox.clock.now() - Date.now() - 60_000)).toBeLessThan(1000);
    expect((await admin('/clock')).json.skewMs).toBe(60_000);
    expect((await admin('/clock', 'POST', { skewMs: 'soon' })).status).toBe(400);
  });

  it('GET /info returns the urls, credentials, businesses and JWKS urls', async () => {
    const info = (await admin('/info')).json;
    expect(info).toMatchObject({
      url: sandbox.url,
      urls: sandbox.urls,
      credentials: sandbox.credentials,
      businesses: sandbox.businesses,
      jwks: sandbox.jwks,
    });
  });

  it('answers unknown admin paths and methods with JSON errors', async () => {
    expect((await admin('/nothing')).status).toBe(404);
    const wrong = await admin('/stats', 'DELETE');
    expect(wrong.status).toBe(405);
    expect(wrong.json.error).toEqual(expect.any(String));
  });
});

describe('secret rotation', () => {
  const layer1Token = (secret: string) =>
    call(sandbox.urls.layer1.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: sandbox.credentials.layer1.clientId, client_secret: secret }).toString(),
    });

  it('replaces a secret: the old one is refused from the next request on, the new one works', async () => {
    const old = sandbox.credentials.layer1.clientSecret;
    expect((await layer1Token(old)).status).toBe(200);
    const fresh = sandbox.rotateSecret('layer1');
    expect(fresh).not.toBe(old);
    expect(sandbox.credentials.layer1.clientSecret).toBe(fresh);
    const refused = await layer1Token(old);
    expect(refused.status).toBe(401);
    expect(refused.json).toMatchObject({ error: 'invalid_client' });
    expect((await layer1Token(fresh)).status).toBe(200);
  });

  it('rotates through the admin API too, in each provider\'s own shape', async () => {
    const res = await admin('/credentials/rotate', 'POST', { provider: 'thredfi' });
    expect(res.status).toBe(200);
    const { secret } = res.json as { secret: string };
    expect(secret).toMatch(/^sk_test_[A-Za-z0-9]{32}$/);
    expect(sandbox.credentials.thredfi.apiKey).toBe(secret);
    expect((await admin('/credentials/rotate', 'POST', { provider: 'nope' })).status).toBe(400);
  });
});
