import { createLayerClient } from '@fintoken/layer';
import { startSandbox, type Sandbox } from '@fintoken/sandbox';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { businessTokenHandler } from '../src/index.js';
import { createBrowser, createClock, createServerTokenLog, expectNoLeaks, expressVersions, listen, sessionUser, type RunningApp } from './helpers.js';

let sb: Sandbox;
const browser = createBrowser();
const serverTokens = createServerTokenLog();

beforeAll(async () => {
  sb = await startSandbox();
});
afterEach(() => serverTokens.capture());
afterAll(async () => {
  await browser.close();
  await sb.close();
});

describe.each(expressVersions)('rate limit of the token endpoint on $name', ({ express }) => {
  const clock = createClock();
  let app: RunningApp;
  const users = new Map<string, { businessId: string }>();
  const cookie = (user: string) => ({ cookie: `sid=${user}` });

  beforeAll(async () => {
    const [first, second] = sb.businesses.layer.active as [string, string];
    users.set('alice', { businessId: first });
    users.set('bob', { businessId: second });
    const { clientId, clientSecret } = sb.credentials.layer;
    const client = serverTokens.track(
      createLayerClient({ clientId, clientSecret, environment: 'sandbox', authUrl: sb.urls.layer.authUrl, apiUrl: sb.urls.layer.apiUrl, now: clock.now }),
    );
    const authorize = (req: { get(name: string): string | undefined }) => sessionUser(req, users)?.businessId;
    const a = express();
    a.post(
      '/api/token',
      businessTokenHandler({
        client,
        authorize,
        now: clock.now,
        rateLimit: { windowMs: 60_000, max: 2, key: (req) => /sid=(\w+)/.exec(req.get('cookie') ?? '')?.[1] },
      }),
    );
    a.post('/api/ip-limited-token', businessTokenHandler({ client, authorize, now: clock.now, rateLimit: { windowMs: 10_000, max: 1 } }));
    app = await listen(a);
  });
  afterAll(() => app.close());

  it('answers 429 with Retry-After once a user spends the window, without minting', async () => {
    const statuses = [];
    for (let i = 0; i < 2; i++) statuses.push((await browser.send(`${app.url}/api/token`, { headers: cookie('alice') })).status);
    expect(statuses).toEqual([200, 200]);
    const before = sb.stats.count('layer.businessToken') + sb.stats.count('layer.token');
    clock.advance(15_000);
    const limited = await browser.send(`${app.url}/api/token`, { headers: cookie('alice') });
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('45');
    expect(limited.headers['cache-control']).toBe('no-store');
    expect(limited.json).toEqual({ error: { code: 'rate_limited', message: expect.any(String) } });
    expect(sb.stats.count('layer.businessToken') + sb.stats.count('layer.token')).toBe(before);
  });

  it('counts each user apart', async () => {
    const res = await browser.send(`${app.url}/api/token`, { headers: cookie('bob') });
    expect(res.status).toBe(200);
  });

  it('counts requests its key cannot name (no session) by address, before authorize', async () => {
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await browser.send(`${app.url}/api/token`)).status);
    expect(statuses).toEqual([403, 403, 429]);
  });

  it('serves the user again when the window has passed', async () => {
    clock.advance(45_000);
    const res = await browser.send(`${app.url}/api/token`, { headers: cookie('alice') });
    expect(res.status).toBe(200);
  });

  it('keys on the client address by default', async () => {
    expect((await browser.send(`${app.url}/api/ip-limited-token`, { headers: cookie('alice') })).status).toBe(200);
    // Another user from the same address shares the bucket.
    const res = await browser.send(`${app.url}/api/ip-limited-token`, { headers: cookie('bob') });
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('10');
  });
});

it('leaks no secret or server-side token in any response of this file', () => {
  const { layer, thredfi, asset, layer1 } = sb.credentials;
  expectNoLeaks(browser.seen, [layer.clientSecret, thredfi.apiKey, asset.clientSecret, layer1.clientSecret], serverTokens.tokens, 20);
});
