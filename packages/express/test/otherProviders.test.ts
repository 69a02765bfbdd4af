import { createAssetClient } from '@fintoken/asset';
import { createThredfiClient } from '@fintoken/thredfi';
import { request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { businessTokenHandler } from '../src/index.js';
import { expectNoLeaks, useSandboxSuite, expressVersions, listen, sessionUser, type RunningApp } from './helpers.js';

const suite = useSandboxSuite();
const { browser, serverTokens } = suite;

async function apiStatus(url: string, accessToken: string): Promise<number> {
  const response = await request(url, { headers: { authorization: `Bearer ${accessToken}` } });
  await response.body.dump();
  return response.statusCode;
}

const thredfiCustomers = (businessId: string) => `${suite.sb.urls.thredfi.baseUrl}/v1/platform/businesses/${businessId}/customers/`;
const assetBusiness = (businessId: string) => `${suite.sb.urls.asset.baseUrl}/v0/businesses/${businessId}`;

describe.each(expressVersions)('other providers through the handler on $name', ({ express }) => {
  let app: RunningApp;
  const users = new Map<string, { businessId: string }>();
  const cookie = (user: string) => ({ cookie: `sid=${user}` });

  beforeAll(async () => {
    const thredfi = serverTokens.track(
      createThredfiClient({ partnerId: suite.sb.credentials.thredfi.partnerId, apiKey: suite.sb.credentials.thredfi.apiKey, baseUrl: suite.sb.urls.thredfi.baseUrl, retry: false }),
    );
    const asset = serverTokens.track(
      createAssetClient({ ...suite.sb.credentials.asset, environment: 'sandbox', baseUrl: suite.sb.urls.asset.baseUrl, retry: false }),
    );
    const a = express();
    const thredfiUsers = new Map([
      ['tina', { businessId: suite.sb.businesses.thredfi.owned[0] as string }],
      ['fred', { businessId: suite.sb.businesses.thredfi.foreign }],
      ['tom', { businessId: suite.sb.businesses.thredfi.owned[1] as string }],
    ]);
    const assetUsers = new Map([
      ['ada', { businessId: suite.sb.businesses.asset.allowed[0] as string }],
      ['frank', { businessId: suite.sb.businesses.asset.forbidden }],
      ['ann', { businessId: suite.sb.businesses.asset.allowed[1] as string }],
    ]);
    for (const [k, v] of [...thredfiUsers, ...assetUsers]) users.set(k, v);
    // Thredfi says to keep its business tokens server-side (seed): handing them out takes the opt-in.
    a.post('/api/thredfi-token', businessTokenHandler({ client: thredfi, authorize: (req) => sessionUser(req, thredfiUsers)?.businessId, allowServerOnlyTokens: true }));
    a.post(
      '/api/asset-token',
      businessTokenHandler({ client: asset, authorize: (req) => sessionUser(req, assetUsers)?.businessId, request: () => ({ expiresIn: 900 }) }),
    );
    app = await listen(a);
  });
  afterAll(() => app.close());

  it('hands out a Thredfi business token that works for that business only', async () => {
    const [mine, other] = suite.sb.businesses.thredfi.owned as [string, string];
    const res = await browser.send(`${app.url}/api/thredfi-token`, { headers: cookie('tina') });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ access_token: expect.any(String), token_type: expect.stringMatching(/^bearer$/i), expires_in: expect.any(Number), business_id: mine });
    expect(res.headers['cache-control']).toBe('no-store');
    expect(await apiStatus(thredfiCustomers(mine), res.json.access_token)).toBe(200);
    expect([401, 403]).toContain(await apiStatus(thredfiCustomers(other), res.json.access_token));
  });

  it('hands out an Asset business token that works for that business only, with request() extras', async () => {
    const [mine, other] = suite.sb.businesses.asset.allowed as [string, string];
    const res = await browser.send(`${app.url}/api/asset-token`, { headers: cookie('ada') });
    expect(res.status).toBe(200);
    expect(res.json.business_id).toBe(mine);
    // Asset's expires_in is an absolute unix time upstream; the browser gets seconds left.
    expect(res.json.expires_in).toBeGreaterThan(800);
    expect(res.json.expires_in).toBeLessThanOrEqual(900);
    expect(await apiStatus(assetBusiness(mine), res.json.access_token)).toBe(200);
    expect([401, 403]).toContain(await apiStatus(assetBusiness(other), res.json.access_token));
  });

  it.each([
    ['Thredfi', '/api/thredfi-token', 'fred'],
    ['Asset', '/api/asset-token', 'frank'],
  ])('maps %s refusing the business to 502 without its description', async (_provider, path, user) => {
    const res = await browser.send(`${app.url}${path}`, { headers: cookie(user) });
    expect(res.status).toBe(502);
    expect(res.json).toEqual({ error: { code: 'bad_gateway', message: expect.any(String) } });
    expect(res.text).not.toContain(users.get(user)?.businessId);
  });

  it.each([
    // Users whose business has no cached token yet, so the request reaches the provider.
    ['Thredfi', '/api/thredfi-token', 'tom', 'thredfi.businessToken'],
    ['Asset', '/api/asset-token', 'ann', 'asset.token'],
  ] as const)('maps %s throttling to 503 with its Retry-After', async (_provider, path, user, endpoint) => {
    suite.sb.faults.inject(endpoint, { status: 429, retryAfter: 11 });
    const res = await browser.send(`${app.url}${path}`, { headers: cookie(user) });
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('11');
    expect(res.json).toEqual({ error: { code: 'provider_unavailable', message: expect.any(String) } });
  });
});

it('leaks no secret or server-side token in any response of this file', () => {
  const { layer, thredfi, asset, layer1 } = suite.sb.credentials;
  expect(serverTokens.tokens.size).toBeGreaterThanOrEqual(2);
  expectNoLeaks(browser.seen, [layer.clientSecret, thredfi.apiKey, asset.clientSecret, layer1.clientSecret], serverTokens.tokens, 12);
});
