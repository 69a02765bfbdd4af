import { REJECTED_TOKEN_HEADER, tokenFingerprint } from '@fintoken/core';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemo, type Demo } from '../src/server.js';
import { claimsOf, postJson, rawGet, signIn } from './helpers.js';
import { readStream } from './sse.js';

let demo: Demo;
let alice: string;
let bob: string;
let carol: string;

beforeAll(async () => {
  demo = await startDemo({ port: 0, env: { DEMO_SESSION_SECRET: 'api-test-secret', DEMO_BUSINESSES_CAROL: 'asset=biz_notInTheSandbox' }, log: () => undefined });
  [alice, bob, carol] = await Promise.all([signIn(demo, 'alice'), signIn(demo, 'bob'), signIn(demo, 'carol')]);
});
afterAll(() => demo?.close());

const token = async (provider: string, cookie: string, body: unknown = {}, headers: Record<string, string> = {}) => {
  const response = await postJson(`${demo.url}/api/${provider}/token`, cookie, body, headers);
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
};

describe('the page and its security headers', () => {
  it('allows exactly its import map as inline script (CSP hash) and serves the fintoken dist files', async () => {
    const response = await fetch(demo.url);
    const html = await response.text();
    const importMap = /<script type="importmap">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
    const hash = createHash('sha256').update(importMap).digest('base64');
    expect(response.headers.get('content-security-policy')).toContain(`script-src 'self' 'sha256-${hash}'`);
    const map = JSON.parse(importMap) as { imports: Record<string, string> };
    for (const path of Object.values(map.imports)) {
      const vendor = await fetch(`${demo.url}${path}`);
      expect(vendor.status, path).toBe(200);
      expect(vendor.headers.get('content-type')).toMatch(/javascript/);
    }
  });
});

describe('business token endpoints', () => {
  it('answers {access_token, token_type, expires_in, business_id} with no-store for the signed-in user', async () => {
    const result = await token('asset', alice);
    expect(result.status).toBe(200);
    expect(result.headers.get('cache-control')).toContain('no-store');
    expect(result.body).toMatchObject({ token_type: 'Bearer', business_id: demo.sandbox!.businesses.asset.allowed[0] });
    expect(result.body.expires_in).toBeGreaterThan(0);
    expect(claimsOf(result.body.access_token as string).business_id).toBe(demo.sandbox!.businesses.asset.allowed[0]);
  });

  it("has no browser endpoint or proxy for Thredfi: its business tokens stay on the server (Thredfi's docs)", async () => {
    const mints = demo.sandbox!.stats.count('thredfi.businessToken');
    expect((await postJson(`${demo.url}/api/thredfi/token`, alice)).status).toBe(404);
    const business = demo.sandbox!.businesses.thredfi.owned[0]!;
    expect((await fetch(`${demo.url}/proxy/thredfi/v1/platform/businesses/${business}/customers/`, { headers: { cookie: alice } })).status).toBe(404);
    expect(demo.sandbox!.stats.count('thredfi.businessToken')).toBe(mints);
    // The server calls Thredfi for alice's business with its own client; the page gets the result only.
    const call = await fetch(`${demo.url}/api/thredfi/server-call`, { headers: { cookie: alice } });
    const text = await call.text();
    expect(JSON.parse(text)).toMatchObject({ status: 200, token: { kind: 'business', businessId: business } });
    const held = await demo.clients.thredfi.getToken({ businessId: business });
    expect(text).not.toContain(held.accessToken);
    // ...and refuses someone else's business.
    const other = demo.sandbox!.businesses.thredfi.owned[1]!;
    expect((await fetch(`${demo.url}/api/thredfi/server-call?business_id=${other}`, { headers: { cookie: alice } })).status).toBe(403);
  });

  it('refuses without a session (401), for another user\'s business (403), and for a user with none (403)', async () => {
    expect((await postJson(`${demo.url}/api/layer/token`, '')).status).toBe(401);
    expect((await token('layer', bob, { business_id: demo.sandbox!.businesses.layer.active[0] })).status).toBe(403);
    expect((await token('layer', carol)).status).toBe(403);
    expect((await token('layer', alice, { business_id: 42 })).status).toBe(403);
  });

  it('maps a provider refusal to a generic 502 that quotes nothing of the provider', async () => {
    // carol's Asset business is unknown to the sandbox: Asset answers 404.
    const result = await token('asset', carol);
    expect(result.status).toBe(502);
    expect(JSON.stringify(result.body)).not.toContain('biz_notInTheSandbox');
  });

  it('mints a new token only when the page reports the cached one as refused', async () => {
    const sandbox = demo.sandbox!;
    const first = await token('layer', alice);
    const before = sandbox.stats.count('layer.businessToken');
    const garbage = await token('layer', alice, {}, { [REJECTED_TOKEN_HEADER]: await tokenFingerprint('not-the-cached-token') });
    expect(garbage.body.access_token).toBe(first.body.access_token);
    expect(sandbox.stats.count('layer.businessToken')).toBe(before);
    const renewed = await token('layer', alice, {}, { [REJECTED_TOKEN_HEADER]: await tokenFingerprint(first.body.access_token as string) });
    expect(renewed.body.access_token).not.toBe(first.body.access_token);
    expect(sandbox.stats.count('layer.businessToken')).toBe(before + 1);
  });
});

describe('same-origin API proxy', () => {
  it('forwards the page\'s Authorization header untouched and adds no credential of its own', async () => {
    const { body } = await token('asset', alice);
    const path = `/proxy/asset/v0/businesses/${demo.sandbox!.businesses.asset.allowed[0]}`;
    const ok = await fetch(`${demo.url}${path}`, { headers: { cookie: alice, authorization: `Bearer ${body.access_token as string}` } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ object: 'business' });
    const anonymous = await fetch(`${demo.url}${path}`, { headers: { cookie: alice } });
    expect(anonymous.status).toBe(401);
    // Alice's token is no good for bob's business: the provider, not the proxy, says 403.
    const bobs = await fetch(`${demo.url}/proxy/asset/v0/businesses/${demo.sandbox!.businesses.asset.allowed[1]}`, {
      headers: { cookie: alice, authorization: `Bearer ${body.access_token as string}` },
    });
    expect(bobs.status).toBe(403);
  });

  it('refuses paths that leave the provider API', async () => {
    const { body } = await token('layer', alice);
    const headers = { cookie: alice, authorization: `Bearer ${body.access_token as string}` };
    for (const path of ['/proxy/layer/../asset/v0/auth/token', '/proxy/layer/%2e%2e/asset/x', '/proxy/layer/a%2F..%2F..%2Fx', '/proxy/layer/%E0%A4%A']) {
      expect((await rawGet(demo.url, path, headers)).status, path).toBe(400);
    }
  });

  it('needs a signed-in user', async () => {
    expect((await fetch(`${demo.url}/proxy/layer/whoami`)).status).toBe(401);
  });
});

describe('server-side calls and faults', () => {
  it('calls each provider API with withToken and shows the page only how long the token has left', async () => {
    const tokens = await Promise.all([demo.clients.layer.getToken(), demo.clients.layer1.getToken()]);
    for (const provider of ['layer', 'thredfi', 'asset', 'layer1']) {
      const response = await fetch(`${demo.url}/api/${provider}/server-call`, { headers: { cookie: alice } });
      const text = await response.text();
      expect(response.status, provider).toBe(200);
      const body = JSON.parse(text) as { status: number; token: { expiresInMs: number } };
      expect(body.status, provider).toBe(200);
      expect(body.token.expiresInMs).toBeGreaterThan(0);
      for (const t of tokens) expect(text).not.toContain(t.accessToken);
    }
    expect((await fetch(`${demo.url}/api/thredfi/server-call`, { headers: { cookie: carol } })).status).toBe(403);
  });

  it('injects sandbox faults through the admin API: a one-shot 401 on the next API call', async () => {
    const { body } = await token('layer', alice);
    const path = `/proxy/layer/v1/businesses/${demo.sandbox!.businesses.layer.active[0]}`;
    const headers = { cookie: alice, authorization: `Bearer ${body.access_token as string}` };
    const injected = await postJson(`${demo.url}/api/layer/faults`, alice, { kind: 'unauthorized' });
    expect(injected.status).toBe(201);
    expect(await injected.json()).toMatchObject({ endpoint: 'layer.business' });
    expect((await fetch(`${demo.url}${path}`, { headers })).status).toBe(401);
    expect((await fetch(`${demo.url}${path}`, { headers })).status).toBe(200);

    expect((await postJson(`${demo.url}/api/layer/faults`, alice, { kind: 'meltdown' })).status).toBe(400);
    await postJson(`${demo.url}/api/layer/faults`, alice, { kind: 'apiError' });
    expect((await fetch(`${demo.url}/api/layer/faults`, { method: 'DELETE', headers: { cookie: alice } })).status).toBe(204);
    expect((await fetch(`${demo.url}${path}`, { headers })).status).toBe(200);
  });

  it('rides out a 503 burst on the token endpoint with server-side retries', async () => {
    await postJson(`${demo.url}/api/layer1/faults`, alice, { kind: 'burst503' });
    const before = demo.sandbox!.stats.count('layer1.token');
    const response = await postJson(`${demo.url}/api/layer1/server-refresh`, alice);
    expect(response.status).toBe(200);
    expect(demo.sandbox!.stats.count('layer1.token')).toBe(before + 4);
  });
});

describe('server events (SSE)', () => {
  it("streams a user's own business-token events and client-token events, never another user's business", async () => {
    const stream = readStream(`${demo.url}/api/events`, alice);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const bobBusiness = demo.sandbox!.businesses.asset.allowed[1]!;
    const aliceBusiness = demo.sandbox!.businesses.asset.allowed[0]!;
    await token('asset', bob, { rejected_token: 'x' });
    await fetch(`${demo.url}/api/asset/server-refresh`, { method: 'POST', headers: { cookie: bob } });
    await fetch(`${demo.url}/api/layer1/server-refresh`, { method: 'POST', headers: { cookie: bob } });
    await fetch(`${demo.url}/api/asset/server-refresh`, { method: 'POST', headers: { cookie: alice } });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const text = stream.stop();
    expect(text).toContain('event: ready');
    expect(text).toContain(`"businessId":"${aliceBusiness}"`);
    expect(text).toMatch(/"provider":"layer1","type":"token.refreshed","token":"client"/);
    expect(text).not.toContain(bobBusiness);
    expect(text).not.toContain('"key"');
  });

  it('is only for signed-in users', async () => {
    expect((await fetch(`${demo.url}/api/events`)).status).toBe(401);
  });
});

describe('sign-in', () => {
  it('knows the demo users and refuses others', async () => {
    const session = (await (await fetch(`${demo.url}/api/session`, { headers: { cookie: alice } })).json()) as {
      user: string;
      users: { name: string }[];
      providers: { id: string; mode: string; businessId?: string; otherBusinessId?: string }[];
    };
    expect(session.user).toBe('alice');
    expect(session.users.map((u) => u.name)).toEqual(['alice', 'bob', 'carol']);
    expect(session.providers.map((p) => [p.id, p.mode])).toEqual([['layer', 'sandbox'], ['thredfi', 'sandbox'], ['asset', 'sandbox'], ['layer1', 'sandbox']]);
    expect(session.providers[0]).toMatchObject({ businessId: demo.sandbox!.businesses.layer.active[0], otherBusinessId: demo.sandbox!.businesses.layer.active[1] });
    expect((await postJson(`${demo.url}/api/session`, '', { user: 'mallory' })).status).toBe(400);
    expect((await fetch(`${demo.url}/api/nothing-here`)).status).toBe(404);
  });
});
