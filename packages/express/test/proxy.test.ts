import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { businessTokenHandler } from '../src/index.js';
import { expectNoLeaks, expressVersions, listen, sessionUser, useSandboxSuite, type RunningApp } from './helpers.js';

// Express behind a proxy: what decides the request's own origin (compared with `Origin` when a
// browser sends no Sec-Fetch-Site) and what the rate limit counts, with and without
// `trust proxy`. Forwarded headers are the client's to forge unless a trusted proxy set them.

const suite = useSandboxSuite();
const { browser, serverTokens } = suite;
const cookie = (user: string) => `sid=${user}`;

describe.each(expressVersions)('behind a proxy on $name', ({ express }) => {
  const users = new Map<string, { businessId: string }>();
  let direct: RunningApp;
  let proxied: RunningApp;
  const mints = () => suite.sb.stats.count('layer.businessToken');

  beforeAll(async () => {
    const [first, second] = suite.sb.businesses.layer.active as [string, string];
    users.set('alice', { businessId: first });
    users.set('bob', { businessId: first });
    users.set('carol', { businessId: second });
    const authorize = (req: { get(name: string): string | undefined }) => {
      const user = /sid=(\w+)/.exec(req.get('cookie') ?? '')?.[1];
      const entry = sessionUser(req, users);
      return entry === undefined ? undefined : { businessId: entry.businessId, subject: user };
    };
    const mount = (app: ReturnType<typeof express>) => {
      const client = suite.layerClient();
      app.post('/token', businessTokenHandler({ client, authorize }));
      app.post('/listed-token', businessTokenHandler({ client, authorize, allowedOrigins: ['https://app.example'] }));
      app.post('/limited-token', businessTokenHandler({ client, authorize, rateLimit: { windowMs: 60_000, max: 2 } }));
      return app;
    };
    direct = await listen(mount(express()));
    // The proxy is on loopback (as the test's requests are): its X-Forwarded-* are believed.
    const behind = express();
    behind.set('trust proxy', 'loopback');
    proxied = await listen(mount(behind));
  });
  afterAll(async () => {
    await direct.close();
    await proxied.close();
  });

  /** A browser without Fetch Metadata (the Origin fallback), as it reaches the app. */
  const send = (app: RunningApp, path: string, headers: Record<string, string>) => browser.send(`${app.url}${path}`, { headers: { cookie: cookie('alice'), ...headers } });

  it('refuses a foreign Origin that a spoofed X-Forwarded-Host / -Proto claims as its own, without trust proxy', async () => {
    const before = mints();
    for (const origin of ['https://evil.example', 'http://evil.example']) {
      const res = await send(direct, '/token', { origin, 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' });
      expect(res.status).toBe(403);
      expect(res.json.error.code).toBe('cross_site_request');
    }
    expect(mints()).toBe(before);
  });

  it('never reads X-Forwarded-Host, even from a trusted proxy', async () => {
    const res = await send(proxied, '/token', { host: 'app.example', origin: 'https://evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' });
    expect(res.status).toBe(403);
  });

  it('behind a TLS-terminating proxy: serves the public https origin with trust proxy set, refuses it without', async () => {
    const headers = { host: 'app.example', origin: 'https://app.example', 'x-forwarded-proto': 'https' };
    expect((await send(proxied, '/token', headers)).status).toBe(200);
    expect((await send(direct, '/token', headers)).status).toBe(403);
    // Hosts are compared as browsers write them: lower case.
    expect((await send(proxied, '/token', { ...headers, host: 'App.Example' })).status).toBe(200);
  });

  it('serves a public origin listed in allowedOrigins whatever Host the proxy passes on', async () => {
    const res = await send(direct, '/listed-token', { host: 'internal:3000', origin: 'https://app.example' });
    expect(res.status).toBe(200);
    expect(res.json.business_id).toBe(users.get('alice')?.businessId);
  });

  it('gives no fresh bucket for a forged X-Forwarded-For, even with trust proxy (req.ip would follow it)', async () => {
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await send(proxied, '/limited-token', { 'x-forwarded-for': `203.0.113.${i + 1}` })).status);
    expect(statuses).toEqual([200, 200, 429, 429, 429, 429]);
  });

  it('counts users behind one proxy address apart', async () => {
    for (const user of ['bob', 'carol']) {
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await send(proxied, '/limited-token', { cookie: cookie(user), 'x-forwarded-for': '198.51.100.7' })).status);
      expect(statuses).toEqual([200, 200, 429]);
    }
  });
});

it('leaks no secret or server-side token in any response of this file', () => {
  const { layer } = suite.sb.credentials;
  expectNoLeaks(browser.seen, [layer.clientSecret], serverTokens.tokens, 20);
});
