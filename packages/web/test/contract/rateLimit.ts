import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClock } from '../support/http.js';
import type { RunningServer } from '../support/serve.js';
import { authorizeBusiness, authorizeIdentity, cookie, genericError, layerMints, sessionOf, type Users } from './shared.js';
import type { ContractAdapter, ContractSuite } from './tokenEndpoint.js';

// The rate limit runs after authorize and counts the authorized identity (the user when
// authorize names one, else the business): nothing the client sends (address, forwarded-for,
// cookie values) is a key, so nobody gets a fresh bucket by changing them, an unauthenticated
// flood never reaches a user's bucket, and users behind one address are counted apart.

export function describeRateLimit(adapter: ContractAdapter, suite: ContractSuite): void {
  describe('rate limit', () => {
    const { browser } = suite;
    const clock = createClock();
    const users: Users = new Map();
    let server: RunningServer;
    const keysSeen: unknown[] = [];
    const url = (path: string) => `${server.url}${path}`;
    const statuses = async (path: string, headers: Record<string, string>, count: number) => {
      const seen: number[] = [];
      for (let i = 0; i < count; i++) seen.push((await browser.send(url(path), { headers })).status);
      return seen;
    };

    beforeAll(async () => {
      const [first, second] = suite.sb.businesses.layer.active as [string, string];
      for (const user of ['alice', 'bob', 'erin', 'frank']) users.set(user, { businessId: first });
      users.set('grace', { businessId: second });
      const client = suite.layerClient({ now: clock.now });
      const limit = { windowMs: 60_000, max: 2, maxKeys: 3 };
      server = await adapter.serve({
        // maxKeys 3: were unauthenticated requests counted, a handful would evict the real users' buckets.
        '/token': { client, authorize: authorizeIdentity(users), now: clock.now, rateLimit: limit },
        '/business-token': { client, authorize: authorizeBusiness(users), now: clock.now, rateLimit: limit },
        '/keyed-token': {
          client,
          authorize: authorizeIdentity(users),
          now: clock.now,
          rateLimit: {
            ...limit,
            key: (req, authorized) => {
              keysSeen.push(authorized);
              // A key the application cannot name for this request: the authorized identity counts, not one shared bucket.
              return sessionOf(req) === 'frank' ? undefined : `tenant-of:${authorized.businessId}`;
            },
          },
        },
      });
    });
    afterAll(() => server.close());

    it('answers 429 with Retry-After once a user spends the window, without minting, then serves again', async () => {
      expect(await statuses('/token', cookie('alice'), 2)).toEqual([200, 200]);
      const before = layerMints(suite);
      clock.advance(15_000);
      const limited = await browser.send(url('/token'), { headers: cookie('alice') });
      expect(limited.status).toBe(429);
      expect(limited.json).toEqual(genericError('rate_limited'));
      expect(limited.headers['retry-after']).toBe('45');
      expect(limited.headers['cache-control']).toBe('no-store');
      expect(layerMints(suite)).toBe(before);
      clock.advance(45_000);
      expect(await statuses('/token', cookie('alice'), 1)).toEqual([200]);
    });

    it("gives an unauthenticated flood 403 without touching a user's bucket (500 bogus sessions, maxKeys 3)", async () => {
      clock.advance(60_000);
      expect(await statuses('/token', cookie('alice'), 1)).toEqual([200]);
      const flood = await Promise.all(Array.from({ length: 500 }, (_, i) => browser.send(url('/token'), { headers: cookie(`forged-${i}`) })));
      expect(new Set(flood.map((r) => r.status))).toEqual(new Set([403]));
      // Alice's window still holds her first request: one more, then 429; not a fresh bucket.
      expect(await statuses('/token', cookie('alice'), 2)).toEqual([200, 429]);
    });

    it('counts users behind one address apart, and a forged X-Forwarded-For buys no fresh bucket', async () => {
      clock.advance(60_000);
      expect(await statuses('/token', cookie('bob'), 2)).toEqual([200, 200]);
      expect(await statuses('/token', cookie('erin'), 3)).toEqual([200, 200, 429]);
      for (let i = 0; i < 5; i++) {
        const res = await browser.send(url('/token'), { headers: { ...cookie('bob'), 'x-forwarded-for': `203.0.113.${i}`, 'x-real-ip': `198.51.100.${i}` } });
        expect(res.status).toBe(429);
      }
    });

    it('without a subject, counts the business: its users share one bucket, another business has its own', async () => {
      clock.advance(60_000);
      expect(await statuses('/business-token', cookie('alice'), 1)).toEqual([200]);
      expect(await statuses('/business-token', cookie('bob'), 2)).toEqual([200, 429]);
      expect(await statuses('/business-token', cookie('grace'), 2)).toEqual([200, 200]);
    });

    it('hands rateLimit.key the authorized identity, and falls back to it (never a shared bucket) when the key names nobody', async () => {
      clock.advance(60_000);
      keysSeen.length = 0;
      expect(await statuses('/keyed-token', cookie('alice'), 1)).toEqual([200]);
      expect(keysSeen).toEqual([{ businessId: users.get('alice')?.businessId, subject: 'user:alice' }]);
      // alice and bob share the application's tenant key; frank, whom the key cannot name, is counted as himself.
      expect(await statuses('/keyed-token', cookie('bob'), 2)).toEqual([200, 429]);
      expect(await statuses('/keyed-token', cookie('frank'), 3)).toEqual([200, 200, 429]);
      expect(await statuses('/keyed-token', cookie('erin'), 1)).toEqual([429]);
      // Refused requests never reach the key.
      keysSeen.length = 0;
      expect(await statuses('/keyed-token', cookie('nobody'), 3)).toEqual([403, 403, 403]);
      expect(keysSeen).toEqual([]);
    });
  });
}
