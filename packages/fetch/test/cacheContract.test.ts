import { createToken, TokenCache, type Token, type TokenFetcher } from '@fintoken/core/cache';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemoryCache, MAX_LEAD_SHARE } from '../src/memoryCache.js';
import { shareAcrossTabs } from '../src/tabs.js';
import { toToken } from '../src/tokenResponse.js';
import { cacheContract, type MakeCache } from './support/cacheContract.js';

// One contract (test/support/cacheContract.ts), every implementation of a page's token cache, so
// they cannot drift: the single-tab cache as createAuthFetch builds it (its fetcher validates
// through toToken), core's TokenCache as @fintoken/fetch/tabs configures it, and the tabs cache
// itself (TokenCache over the BroadcastChannel tab store).
const key = 'fintoken:/token';
const closers: Array<() => void> = [];
afterAll(() => closers.forEach((close) => close()));

const memory: MakeCache = ({ fetcher, now, refreshAheadMs, onEvent }) =>
  createMemoryCache({ key, fetcher: async (context) => toToken(await fetcher(context), now()), refreshAheadMs, now, onEvent, changed: () => undefined });

const core: MakeCache = ({ fetcher, now, refreshAheadMs, onEvent }) => {
  // Core's defaults otherwise, its forced-replacement bound included.
  const cache = new TokenCache({ refreshAhead: { minMs: refreshAheadMs, ratio: 0, maxRatio: MAX_LEAD_SHARE }, now, onEvent, maxEntries: 1 });
  return { get: (options) => cache.get(key, fetcher, options), peek: () => cache.peek(key), delete: () => cache.delete(key) };
};

let partition = 0;
const tabs: MakeCache = ({ fetcher, now, refreshAheadMs, onEvent }) => {
  const cache = shareAcrossTabs({ partition: `contract-${(partition += 1)}`, timeoutMs: 5 })({ key, fetcher, refreshAheadMs, now, onEvent, changed: () => undefined });
  closers.push(() => cache.close());
  return cache;
};

cacheContract('@fintoken/fetch single-tab cache (src/memoryCache.ts)', memory);
cacheContract("@fintoken/core/cache TokenCache (as @fintoken/fetch/tabs configures it)", core);
cacheContract('@fintoken/fetch/tabs cache (TokenCache over the tab store)', tabs);

// Forced replacements: the one place the implementations differ on purpose. Core bounds them per
// key (forcedRefreshIntervalMs, default 30 s) because a server's cache is shared by every caller;
// a page's cache needs no bound of its own, since the token endpoint bounds them for every page.
describe('forced replacements (implementation-specific)', () => {
  const lifetime = 3_600_000;
  function harness(make: MakeCache) {
    let t = 1_000_000;
    let n = 0;
    const fetcher: TokenFetcher = async () => createToken({ accessToken: `t${(n += 1)}`, tokenType: 'Bearer', issuedAt: t, expiresAt: t + lifetime });
    const cache = make({ fetcher, now: () => t, refreshAheadMs: 30_000, onEvent: () => undefined });
    const reject = async (token: Token) => cache.get({ forceRefresh: true, rejectedToken: token.accessToken });
    return { cache, reject, requests: () => n, advance: (ms: number) => void (t += ms) };
  }

  for (const [name, make] of [['single-tab cache', memory], ['tabs cache', tabs]] as const) {
    it(`${name}: replaces every rejected token at once (the token endpoint bounds replacements)`, async () => {
      const h = harness(make);
      let token = await h.cache.get();
      for (let i = 0; i < 3; i += 1) token = await h.reject(token);
      expect(token.accessToken).toBe('t4');
      expect(h.requests()).toBe(4);
    });
  }

  it('core TokenCache: a second rejection inside forcedRefreshIntervalMs is answered with the current token', async () => {
    const h = harness(core);
    const first = await h.cache.get();
    const replaced = await h.reject(first);
    expect(replaced.accessToken).toBe('t2');
    expect((await h.reject(replaced)).accessToken).toBe('t2');
    expect(h.requests()).toBe(2);
    h.advance(30_000);
    expect((await h.reject(replaced)).accessToken).toBe('t3');
  });
});
