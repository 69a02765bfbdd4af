import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLayerReactApp, type LayerReactApp } from '../src/server.js';

let app: LayerReactApp;
beforeAll(async () => {
  app = await startLayerReactApp({ sessionDuration: 20 });
});
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
});
