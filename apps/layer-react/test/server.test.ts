import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLayerReactApp, type LayerReactApp } from '../src/server.js';

let app: LayerReactApp;
beforeAll(async () => {
  app = await startLayerReactApp({ sessionDuration: 20, demoUrl: 'http://127.0.0.1:3000' });
});

/** A request with the Host header exactly as given (fetch would set its own). */
function withHost(path: string, host: string, method = 'GET'): Promise<{ status: number; body: string }> {
  const url = new URL(app.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, method, headers: { host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}
afterAll(() => app.close());

describe('apps/layer-react server', () => {
  it('serves the page with what LayerProvider needs, and no secret', async () => {
    const res = await fetch(app.url);
    const html = await res.text();
    expect(res.headers.get('cache-control')).toBe('no-store');
    const config = JSON.parse(/<script id="config" type="application\/json">(.*?)<\/script>/s.exec(html)![1]!);
    expect(config).toEqual({
      businessId: app.businessId,
      tokenUrl: '/api/layer/business-token',
      layer: {
        environment: 'sandbox',
        apiUrl: app.sandbox.urls.layer.apiUrl,
        authUrl: app.sandbox.urls.layer.authUrl,
        scope: 'https://sandbox.layerfi.com/sandbox',
      },
      demoUrl: 'http://127.0.0.1:3000',
    });
    expect(html).not.toContain(app.sandbox.credentials.layer.clientSecret);
  });

  it("mints a business token with Layer's session_duration for the page's business only", async () => {
    const res = await fetch(`${app.url}/api/layer/business-token`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toContain('no-store');
    const body = (await res.json()) as { access_token: string; expires_in: number; business_id: string };
    expect(body).toMatchObject({ token_type: 'Bearer', business_id: app.businessId });
    expect(body.expires_in).toBeGreaterThan(0);
    expect(body.expires_in).toBeLessThanOrEqual(20);
    const claims = JSON.parse(Buffer.from(body.access_token.split('.')[1]!, 'base64url').toString()) as Record<string, number | string>;
    expect(claims.business_id).toBe(app.businessId);
    expect(Number(claims.exp) - Number(claims.iat)).toBe(20);
  });

  it('answers /favicon.ico (and /favicon.svg) with an SVG icon', async () => {
    for (const path of ['/favicon.ico', '/favicon.svg']) {
      const res = await fetch(`${app.url}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
      expect(await res.text()).toMatch(/^<svg /);
    }
  });

  it('refuses a DNS-rebinding Host (403): no page, no token', async () => {
    const port = new URL(app.url).port;
    const mints = app.sandbox.stats.count('layer.businessToken');
    for (const host of [`attacker.example:${port}`, 'attacker.example', `127.0.0.1.attacker.example:${port}`, `localhost.attacker.example`]) {
      const page = await withHost('/', host);
      expect(page.status, host).toBe(403);
      expect(page.body).not.toContain('<script');
      const token = await withHost('/api/layer/business-token', host, 'POST');
      expect(token.status, host).toBe(403);
      expect(token.body).not.toContain('access_token');
    }
    expect(app.sandbox.stats.count('layer.businessToken')).toBe(mints);
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]) expect((await withHost('/', host)).status, host).toBe(200);
  });
});
