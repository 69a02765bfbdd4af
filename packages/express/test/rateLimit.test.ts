import { createLayerClient } from '@fintoken/layer';
import { startSandbox, type Sandbox } from '@fintoken/sandbox';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { businessTokenHandler } from '../src/index.js';
import { createRateLimiter } from '../src/rateLimit.js';
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

describe('rate limiter memory', () => {
  it('remembers at most maxKeys buckets, forgetting the oldest first', () => {
    const clock = createClock(0);
    const hit = createRateLimiter({ windowMs: 1000, max: 1, maxKeys: 2, now: clock.now });
    expect(hit('a').allowed).toBe(true);
    expect(hit('a').allowed).toBe(false);
    expect(hit('b').allowed).toBe(true);
    expect(hit('b').allowed).toBe(false);
    expect(hit('c').allowed).toBe(true); // evicts a, the oldest window
    expect(hit('b').allowed).toBe(false); // b is still remembered
    expect(hit('a').allowed).toBe(true); // a starts afresh (and evicts b)
    expect(hit('b').allowed).toBe(true);
  });

  it('stays bounded under 100,000 distinct keys', () => {
    const clock = createClock(0);
    const hit = createRateLimiter({ windowMs: 1000, max: 1, maxKeys: 100, now: clock.now });
    for (let i = 0; i < 100_000; i++) hit(`user-${i}`);
    // The 100 most recent keys are still limited; the first ones were forgotten.
    expect(hit('user-99999').allowed).toBe(false);
    expect(hit('user-99901').allowed).toBe(false);
    expect(hit('user-0').allowed).toBe(true);
  });

  it('restarts a window after windowMs and reports the seconds left', () => {
    const clock = createClock(0);
    const hit = createRateLimiter({ windowMs: 30_000, max: 1, maxKeys: 10, now: clock.now });
    hit('a');
    clock.advance(10_500);
    expect(hit('a')).toEqual({ allowed: false, retryAfterSeconds: 20 });
    clock.advance(19_500);
    expect(hit('a')).toEqual({ allowed: true });
  });
});

it('leaks no secret or server-side token in any response of this file', () => {
  const { layer, thredfi, asset, layer1 } = sb.credentials;
  expectNoLeaks(browser.seen, [layer.clientSecret, thredfi.apiKey, asset.clientSecret, layer1.clientSecret], serverTokens.tokens, 20);
});
