import { REJECTED_TOKEN_HEADER, tokenFingerprint } from '@fintoken/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClock } from '../support/http.js';
import type { RunningServer } from '../support/serve.js';
import { authorizeBusiness, cookie, genericError, layerMints, type Users } from './shared.js';
import type { ContractAdapter, ContractSuite } from './tokenEndpoint.js';

// A page cannot turn token requests into mints: neither by reporting every token it gets as
// rejected (core bounds forced replacements per key and interval), nor through a `request`
// callback that lets a control field through (refused, fail closed).

export function describeForcedReplacements(adapter: ContractAdapter, suite: ContractSuite): void {
  describe('forced replacements', () => {
    const { browser } = suite;
    const clock = createClock();
    const users: Users = new Map();
    let server: RunningServer;
    let alice: string;
    const url = (path: string) => `${server.url}${path}`;
    const mints = () => layerMints(suite);

    beforeAll(async () => {
      alice = suite.sb.businesses.layer.active[0] as string;
      users.set('alice', { businessId: alice });
      const authorize = authorizeBusiness(users);
      const layer = suite.layerClient({ now: clock.now });
      server = await adapter.serve({
        '/token': { client: layer, authorize, now: clock.now },
        '/force-refresh-token': { client: layer, authorize, request: () => ({ forceRefresh: true }) as never },
        '/rejected-token-token': { client: layer, authorize, request: () => ({ rejectedToken: 'eyJhbGciOi.x.y' }) as never },
        '/fresh-token': { client: layer, authorize, request: () => ({ fresh: false }) as never },
        '/signal-token': { client: layer, authorize, request: () => ({ signal: AbortSignal.abort() }) as never },
        '/async-force-token': { client: layer, authorize, request: async () => ({ scope: 'x', forceRefresh: true }) as never },
        '/array-extras-token': { client: layer, authorize, request: () => ['forceRefresh'] as never },
      });
    });
    afterAll(() => server.close());

    const ask = (rejected?: string) => browser.send(url('/token'), { headers: { ...cookie('alice'), ...(rejected === undefined ? {} : { [REJECTED_TOKEN_HEADER]: rejected }) } });

    it('makes 1 forced replacement for 13 requests that each report the token just received', async () => {
      let token = (await ask()).json.access_token as string;
      const before = mints();
      const served: string[] = [];
      for (let i = 0; i < 13; i++) {
        const res = await ask(await tokenFingerprint(token));
        expect(res.status).toBe(200);
        token = res.json.access_token;
        served.push(token);
      }
      expect(mints() - before).toBe(1);
      // The first report (a token the provider really revoked) was replaced at once; the others got that replacement.
      expect(new Set(served).size).toBe(1);
    });

    it('replaces a reported token again once the interval (forcedRefreshIntervalMs, 30 s) has passed', async () => {
      const current = (await ask()).json.access_token as string;
      const before = mints();
      clock.advance(29_000);
      expect((await ask(await tokenFingerprint(current))).json.access_token).toBe(current);
      expect(mints()).toBe(before);
      clock.advance(1_000);
      const replaced = (await ask(await tokenFingerprint(current))).json.access_token as string;
      expect(replaced).not.toBe(current);
      expect(mints()).toBe(before + 1);
    });

    it.each([
      ['forceRefresh', '/force-refresh-token'],
      ['rejectedToken', '/rejected-token-token'],
      ['fresh', '/fresh-token'],
      ['signal', '/signal-token'],
      ['forceRefresh (async, beside a legitimate field)', '/async-force-token'],
      ['something that is not an object', '/array-extras-token'],
    ])('answers 500, minting nothing, when request() returns %s', async (_field, path) => {
      await ask(); // the business has a cached token: a forced refresh would be a visible mint
      const before = mints();
      for (let i = 0; i < 3; i++) {
        const res = await browser.send(url(path), { headers: cookie('alice') });
        expect(res.status).toBe(500);
        expect(res.json).toEqual(genericError('internal_error'));
        expect(res.json.access_token).toBeUndefined();
      }
      expect(mints()).toBe(before);
    });
  });
}
