import { REJECTED_TOKEN_HEADER, tokenFingerprint } from '@fintoken/core';
import { createLayerClient } from '@fintoken/layer';
import { startSandbox, type Sandbox } from '@fintoken/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBrowser } from './support/http.js';
import { LeakScanner } from './support/leaks.js';
import { sandboxCanaries } from './support/targets.js';
import { ENDPOINT_HOSTS, type HostedApp, type RequestView } from './support/tokenEndpoints.js';
import { expectNoUnhandledRejections, trackUnhandledRejections } from './support/unhandled.js';

// The browser-token endpoint attacked as a hostile page or client would, on both public adapters
// (@fintoken/express, @fintoken/web), against the sandbox: every count is the sandbox's
// (`stats`), never our own. Cross-site requests from a real browser are in
// browser-endpoint-cross-site.test.ts.

const rejections = trackUnhandledRejections();
const browser = createBrowser();
const scanner = new LeakScanner();
let sandbox: Sandbox;
const mints = () => sandbox.stats.count('layer.businessToken');

/** A clock that only moves when told: no window, interval or expiry depends on how fast this machine is. */
const clock = { at: Date.now(), now: () => clock.at };

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 'browser-endpoint-attacks' });
  scanner.add(...sandboxCanaries(sandbox));
});
afterAll(async () => {
  await browser.close();
  await sandbox?.close();
});

describe.each(ENDPOINT_HOSTS)('$name', (host) => {
  let app: HostedApp;
  let plain: HostedApp;
  const sessions = new Map<string, { user: string; businessId: string }>();
  const session = (sid: string) => ({ cookie: `theme=dark; sid=${sid}` });

  beforeAll(async () => {
    const [first, second] = sandbox.businesses.layer.active as [string, string];
    for (const [sid, user, businessId] of [
      ['s-alice', 'alice', first],
      ['s-bob', 'bob', first],
      ['s-carol', 'carol', second],
      ['s-dave', 'dave', second],
      ['s-erin', 'erin', second],
    ] as const) {
      sessions.set(sid, { user, businessId });
    }
    // The application's session lookup: the cookie names a session, the session a user and a business.
    const authorize = (req: RequestView) => {
      const found = sessions.get(/(?:^|;\s*)sid=([^;]+)/.exec(req.header('cookie') ?? '')?.[1] ?? '');
      return found === undefined ? undefined : { businessId: found.businessId, subject: found.user };
    };
    const layer = () => {
      const client = createLayerClient({ ...sandbox.credentials.layer, environment: 'sandbox', authUrl: sandbox.urls.layer.authUrl, apiUrl: sandbox.urls.layer.apiUrl, now: clock.now });
      return client;
    };
    const routes = {
      '/token': { client: layer(), authorize, now: clock.now },
      // maxKeys 100: were unauthenticated requests counted, 10,000 of them would evict every real bucket many times over.
      '/limited-token': { client: layer(), authorize, now: clock.now, rateLimit: { windowMs: 60_000, max: 3, maxKeys: 100 } },
      // An integrator who passes the page's query parameters through to the token request.
      '/passthrough-token': { client: layer(), authorize, now: clock.now, request: (req: RequestView) => req.queryAll() as never },
    };
    // Behind a proxy the application trusts (Express `trust proxy`): X-Forwarded-For becomes req.ip.
    app = await host.serve(routes, {}, { trustProxy: true });
    plain = await host.serve({ '/token': { client: layer(), authorize, now: clock.now } });
    for (const client of [routes['/token'].client, routes['/limited-token'].client]) scanner.add({ label: `${host.name} server token`, value: (await client.getToken()).accessToken });
  });
  afterAll(async () => {
    await app?.close();
    await plain?.close();
  });

  const ask = (path: string, sid: string, headers: Record<string, string> = {}) => browser.send(`${app.url}${path}`, 'POST', { ...session(sid), ...headers });

  describe('a page that reports every token it receives as rejected', () => {
    it('makes 1 forced replacement out of 13 reports, sent one after the other', async () => {
      let token = (await ask('/token', 's-alice')).json!.access_token as string;
      const before = mints();
      for (let i = 0; i < 13; i++) {
        const res = await ask('/token', 's-alice', { [REJECTED_TOKEN_HEADER]: await tokenFingerprint(token) });
        expect(res.status).toBe(200);
        token = res.json!.access_token;
      }
      expect(mints() - before).toBe(1);
    });

    it('makes no more for 13 reports sent at once, and one more once forcedRefreshIntervalMs (30 s) has passed', async () => {
      const token = (await ask('/token', 's-alice')).json!.access_token as string;
      const report = { [REJECTED_TOKEN_HEADER]: await tokenFingerprint(token) };
      const before = mints();
      const answers = await Promise.all(Array.from({ length: 13 }, () => ask('/token', 's-alice', report)));
      expect(answers.map((r) => r.json!.access_token)).toEqual(Array(13).fill(token));
      expect(mints()).toBe(before);
      clock.at += 30_000;
      expect((await ask('/token', 's-alice', report)).json!.access_token).not.toBe(token);
      expect(mints()).toBe(before + 1);
    });

    it('still replaces a genuinely revoked token at once: the first report of a token', async () => {
      const token = (await ask('/token', 's-carol')).json!.access_token as string;
      const before = mints();
      const res = await ask('/token', 's-carol', { [REJECTED_TOKEN_HEADER]: await tokenFingerprint(token) });
      expect(res.json!.access_token).not.toBe(token);
      expect(mints()).toBe(before + 1);
    });
  });

  it.each(['forceRefresh=true', 'forceRefresh=1&scope=x', 'fresh=false', 'rejectedToken=abc', 'signal=x'])(
    'turns no request into a mint through request() extras passed through from the page (?%s): 500, nothing minted',
    async (query) => {
      expect((await ask('/passthrough-token', 's-alice')).status).toBe(200);
      const before = mints();
      const answers = await Promise.all(Array.from({ length: 20 }, () => browser.send(`${app.url}/passthrough-token?${query}`, 'POST', session('s-alice'))));
      expect(new Set(answers.map((r) => r.status))).toEqual(new Set([500]));
      expect(answers.every((r) => r.json?.error?.code === 'internal_error' && r.json.access_token === undefined)).toBe(true);
      expect(mints()).toBe(before);
    },
  );

  describe('the rate limit', () => {
    it("lets 10,000 distinct cookie values neither evict nor reset a real user's bucket", async () => {
      expect([(await ask('/limited-token', 's-alice')).status, (await ask('/limited-token', 's-alice')).status]).toEqual([200, 200]);
      const before = mints();
      const statuses = new Map<number, number>();
      for (let batch = 0; batch < 100; batch++) {
        const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => ask('/limited-token', `forged-${batch}-${i}-${Math.random().toString(36).slice(2)}`)));
        for (const { status } of answers) statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
      expect(Object.fromEntries(statuses)).toEqual({ 403: 10_000 });
      expect(mints()).toBe(before);
      // Alice's window still counts her two requests: one more, then 429.
      expect([(await ask('/limited-token', 's-alice')).status, (await ask('/limited-token', 's-alice')).status]).toEqual([200, 429]);
    });

    it('gives no fresh bucket for a spoofed X-Forwarded-For (trusted proxy: req.ip follows it)', async () => {
      const statuses = [];
      for (let i = 0; i < 10; i++) statuses.push((await ask('/limited-token', 's-bob', { 'x-forwarded-for': `203.0.113.${i + 1}` })).status);
      expect(statuses).toEqual([200, 200, 200, ...Array(7).fill(429)]);
    });

    it('counts users behind one proxy address apart, even users of one business', async () => {
      for (const sid of ['s-carol', 's-dave', 's-erin']) {
        const statuses = [];
        for (let i = 0; i < 4; i++) statuses.push((await ask('/limited-token', sid, { 'x-forwarded-for': '198.51.100.7' })).status);
        expect(statuses).toEqual([200, 200, 200, 429]);
      }
    });
  });

  it('refuses a foreign Origin that a spoofed X-Forwarded-Host claims as its own (no trust proxy): 403, nothing minted', async () => {
    const before = mints();
    for (const proto of ['https', 'http']) {
      const res = await browser.send(`${plain.url}/token`, 'POST', {
        ...session('s-dave'),
        origin: `${proto}://evil.example`,
        'x-forwarded-host': 'evil.example',
        'x-forwarded-proto': proto,
      });
      expect(res.status).toBe(403);
      expect(res.json?.error?.code).toBe('cross_site_request');
    }
    expect(mints()).toBe(before);
  });
});

it('shows no client secret or server-side token in any response of this file', () => {
  expect(browser.seen.length).toBeGreaterThan(20_000);
  for (const [i, response] of browser.seen.entries()) {
    scanner.scan(`response ${i} (${response.status})`, `${JSON.stringify(response.headers)}\n${response.text}`);
  }
  scanner.expectClean();
});

expectNoUnhandledRejections(rejections);
