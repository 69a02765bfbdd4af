import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../support/serve.js';
import { authorizeIdentity, cookie, genericError, layerMints, type Users } from './shared.js';
import type { ContractAdapter, ContractRequest, ContractSuite } from './tokenEndpoint.js';

// Cross-site requests, sent with the headers a browser puts on them (Fetch Metadata, Origin), as
// an attacker's page makes the victim's browser send them, cookies included. Each is refused
// before authorize runs: no mint, no rate-limit bucket spent.

const PARTNER = 'https://partner.example';
const EVIL = 'https://evil.example';

/** A `no-cors` fetch from another site: `fetch(url, { method: 'POST', mode: 'no-cors', credentials: 'include', body })`. */
const noCorsFetch = { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'empty', origin: EVIL, 'content-type': 'text/plain;charset=UTF-8' };
/** A `<form method="post" enctype="text/plain">` on another site, submitted (a top-level navigation). */
const textPlainForm = { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate', 'sec-fetch-dest': 'document', 'sec-fetch-user': '?1', origin: EVIL, 'content-type': 'text/plain' };
/** An `<img src>` on another site: a GET without Origin. */
const imageGet = { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'image' };

export function describeCrossSite(adapter: ContractAdapter, suite: ContractSuite): void {
  describe('cross-site requests', () => {
    const { browser } = suite;
    const users: Users = new Map();
    let server: RunningServer;
    let authorizeCalls = 0;
    const url = (path: string) => `${server.url}${path}`;
    const mints = () => layerMints(suite);

    beforeAll(async () => {
      users.set('alice', { businessId: suite.sb.businesses.layer.active[0] as string });
      const identify = authorizeIdentity(users);
      const counted = (req: ContractRequest) => {
        authorizeCalls += 1;
        return identify(req);
      };
      // A fresh client per route: nothing is cached, so any request that got through would mint.
      server = await adapter.serve({
        '/token': { client: suite.layerClient(), authorize: counted },
        '/partner-token': { client: suite.layerClient(), authorize: counted, allowedOrigins: [PARTNER, 'http://localhost:3000'] },
        '/limited-token': { client: suite.layerClient(), authorize: counted, rateLimit: { windowMs: 60_000, max: 2 } },
      });
    });
    afterAll(() => server.close());

    /** Sends as alice's browser would, cookie included, and expects a refusal that touched nothing. */
    async function expectRefused(path: string, headers: Record<string, string>, method = 'POST') {
      const [mintsBefore, callsBefore] = [mints(), authorizeCalls];
      const res = await browser.send(url(path), { method, headers: { ...cookie('alice'), ...headers }, body: method === 'POST' ? 'x=1' : undefined });
      expect(res.status).toBe(403);
      expect(res.json).toEqual(genericError('cross_site_request'));
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      expect(authorizeCalls).toBe(callsBefore);
      expect(mints()).toBe(mintsBefore);
    }

    it.each([
      ['a no-cors POST from another site', noCorsFetch, 'POST'],
      ['a text/plain form POSTed from another site', textPlainForm, 'POST'],
      ['an <img> GET from another site', imageGet, 'GET'],
      ['a sibling subdomain (same-site)', { 'sec-fetch-site': 'same-site', 'sec-fetch-mode': 'no-cors', origin: 'https://blog.app.example' }, 'POST'],
      ['a cross-site request with Origin: null (sandboxed frame)', { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors', origin: 'null' }, 'POST'],
      ['Origin: null from a browser without Fetch Metadata', { origin: 'null' }, 'POST'],
      ['a foreign Origin from a browser without Fetch Metadata', { origin: EVIL }, 'POST'],
      ['a Sec-Fetch-Site value no browser sends', { 'sec-fetch-site': 'SAME-ORIGIN', origin: EVIL }, 'POST'],
    ])('refuses %s with 403 before authorize, minting nothing', async (_what, headers, method) => {
      await expectRefused('/token', headers, method);
    });

    it.each([
      ['an allowed origin sent from a third site', { 'sec-fetch-site': 'cross-site', origin: EVIL }],
      ['Origin: null', { 'sec-fetch-site': 'cross-site', origin: 'null' }],
      ['an allowed origin spelled with a path (no browser sends that)', { 'sec-fetch-site': 'cross-site', origin: `${PARTNER}/` }],
      ['another port of an allowed host', { 'sec-fetch-site': 'same-site', origin: 'http://localhost:3001' }],
    ])('refuses %s on a route with allowedOrigins', async (_what, headers) => {
      await expectRefused('/partner-token', headers);
    });

    it.each([
      ['the app\'s own page (same-origin)', '/token', { 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'cors' }],
      ['a navigation the user started (none)', '/token', { 'sec-fetch-site': 'none', 'sec-fetch-mode': 'navigate' }],
      ['its own origin from a browser without Fetch Metadata', '/token', { origin: 'SERVER' }],
      ['a request with neither header (not a browser\'s)', '/token', {}],
      ['an allowed origin, cross-site', '/partner-token', { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'cors', origin: PARTNER }],
      ['an allowed origin, same-site', '/partner-token', { 'sec-fetch-site': 'same-site', 'sec-fetch-mode': 'cors', origin: 'http://localhost:3000' }],
      ['an allowed origin from a browser without Fetch Metadata', '/partner-token', { origin: PARTNER }],
    ])('serves %s', async (_what, path, headers) => {
      const withOrigin = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, v === 'SERVER' ? server.url : v]));
      const res = await browser.send(url(path), { headers: { ...cookie('alice'), ...withOrigin } });
      expect(res.status).toBe(200);
      expect(res.json.business_id).toBe(users.get('alice')?.businessId);
    });

    it("spends nobody's rate-limit bucket: 20 cross-site requests, then the user still gets max", async () => {
      for (let i = 0; i < 20; i++) await expectRefused('/limited-token', noCorsFetch);
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await browser.send(url('/limited-token'), { headers: { ...cookie('alice'), 'sec-fetch-site': 'same-origin' } })).status);
      expect(statuses).toEqual([200, 200, 429]);
    });
  });
}
