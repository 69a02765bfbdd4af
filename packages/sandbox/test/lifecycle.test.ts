import { describe, expect, it } from 'vitest';
import { startSandbox } from '../src/index.js';
import { basic, call, postForm } from './helpers.js';

const within = <T>(promise: Promise<T>, ms: number): Promise<T> =>
  Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`not settled within ${ms} ms`)), ms))]);

describe('startSandbox', () => {
  it('listens on 127.0.0.1 with a random port and lays out one prefix per provider', async () => {
    const sandbox = await startSandbox();
    try {
      expect(sandbox.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const u = sandbox.url;
      expect(sandbox.urls).toEqual({
        layer: { authUrl: `${u}/layer/oauth2/token`, apiUrl: `${u}/layer` },
        thredfi: { baseUrl: `${u}/thredfi` },
        asset: { baseUrl: `${u}/asset` },
        layer1: {
          tokenUrl: `${u}/layer1/realms/fintoken/protocol/openid-connect/token`,
          apiUrl: `${u}/layer1`,
          jwksUrl: `${u}/layer1/realms/fintoken/protocol/openid-connect/certs`,
        },
        admin: `${u}/__admin`,
      });
      expect(sandbox.jwks).toEqual({
        layer: `${u}/layer/.well-known/jwks.json`,
        thredfi: `${u}/thredfi/.well-known/jwks.json`,
        asset: `${u}/asset/.well-known/jwks.json`,
        layer1: sandbox.urls.layer1.jwksUrl,
      });
    } finally {
      await sandbox.close();
    }
  });

  it('derives the same credentials and businesses from the same seed, and fresh ones without', async () => {
    const [a, b, c] = await Promise.all([startSandbox({ seed: 'same' }), startSandbox({ seed: 'same' }), startSandbox()]);
    try {
      expect(a.credentials).toEqual(b.credentials);
      expect(a.businesses).toEqual(b.businesses);
      expect(c.credentials.layer.clientSecret).not.toBe(a.credentials.layer.clientSecret);
      expect(a.credentials.thredfi.partnerId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(a.credentials.thredfi.apiKey).toMatch(/^sk_test_/);
      expect(a.businesses.asset.allowed[0]).toMatch(/^biz_[1-9A-HJ-NP-Za-km-z]{22}$/);
      expect(a.businesses.layer.active).not.toContain(a.businesses.layer.archived);
      expect(a.businesses.thredfi.owned).not.toContain(a.businesses.thredfi.foreign);
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });

  it('serves only the providers asked for', async () => {
    const sandbox = await startSandbox({ providers: ['layer1'] });
    try {
      const { clientId, clientSecret } = sandbox.credentials.layer1;
      const ok = await postForm(sandbox.urls.layer1.tokenUrl, { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret });
      expect(ok.status).toBe(200);
      const off = await postForm(sandbox.urls.layer.authUrl, {}, { Authorization: basic('a', 'b') });
      expect(off.status).toBe(404);
      expect((await call(sandbox.jwks.layer)).status).toBe(404);
    } finally {
      await sandbox.close();
    }
  });

  it('queues the faults given at start', async () => {
    const sandbox = await startSandbox({ faults: { 'layer.whoami': [{ status: 503, times: 2 }] } });
    try {
      const url = `${sandbox.urls.layer.apiUrl}/whoami`;
      expect([(await call(url)).status, (await call(url)).status, (await call(url)).status]).toEqual([503, 503, 401]);
    } finally {
      await sandbox.close();
    }
  });

  it('gives every start fresh keys with distinct kids', async () => {
    const [a, b] = await Promise.all([startSandbox(), startSandbox()]);
    try {
      const kidA = (await call(a.jwks.layer)).json.keys[0].kid;
      expect(kidA).toEqual(expect.any(String));
      expect((await call(b.jwks.layer)).json.keys[0].kid).not.toBe(kidA);
      expect((await call(a.jwks.thredfi)).json.keys[0].kid).not.toBe(kidA);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('rejects invalid options', async () => {
    await expect(startSandbox({ faults: { 'layer.token': { latency: 1 } as never } })).rejects.toThrow(/latency/);
    await expect(startSandbox({ providers: ['stripe' as never] })).rejects.toThrow(/Unknown provider/);
    await expect(startSandbox({ tokenTtl: { layer: 0 } })).rejects.toThrow(/tokenTtl.layer/);
    await expect(startSandbox({ port: -1 })).rejects.toThrow(/port/);
    await expect(startSandbox({ layerEnvironment: 'staging' as never })).rejects.toThrow(/layerEnvironment/);
  });

  it('sends a Date header and JSON Content-Type on every JSON response, 404s included', async () => {
    const sandbox = await startSandbox();
    try {
      for (const url of [`${sandbox.url}/`, sandbox.jwks.asset, `${sandbox.url}/thredfi/v1/x`]) {
        const res = await call(url);
        expect(res.headers.date).toEqual(expect.any(String));
        expect(res.headers['content-type']).toBe('application/json');
      }
    } finally {
      await sandbox.close();
    }
  });
});

describe('close()', () => {
  it('returns promptly with a hung request and a pending latency fault, and ends both', async () => {
    const sandbox = await startSandbox();
    sandbox.faults.inject('layer1.api', { hang: true });
    sandbox.faults.inject('layer.whoami', { latencyMs: 60_000 });
    // Settle into the error now, so neither rejection goes unhandled while the other is awaited.
    const failure = (url: string) => call(url).then(() => new Error('answered'), (error: unknown) => error);
    const hung = failure(`${sandbox.urls.layer1.apiUrl}/api/v1/tenants`);
    const delayed = failure(`${sandbox.urls.layer.apiUrl}/whoami`);
    // Both requests have reached their endpoints before closing.
    while (sandbox.stats.count('layer1.api') + sandbox.stats.count('layer.whoami') < 2) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await within(sandbox.close(), 5000);
    expect(await within(hung, 5000)).toMatchObject({ code: 'UND_ERR_SOCKET' });
    expect(await within(delayed, 5000)).toMatchObject({ code: 'UND_ERR_SOCKET' });
  });

  it('closes idle keep-alive connections and can be called twice', async () => {
    const sandbox = await startSandbox();
    await call(sandbox.jwks.layer);
    await within(Promise.all([sandbox.close(), sandbox.close()]), 5000);
    await expect(call(sandbox.jwks.layer)).rejects.toThrow();
  });
});
