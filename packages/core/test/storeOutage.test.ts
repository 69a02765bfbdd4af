import { describe, expect, it, vi } from 'vitest';
import { createToken, TokenCache, type FintokenEvent, type Lock, type Token, type TokenStore } from '../src/index.js';
import { fakeClock } from './helpers.js';

// A shared store failing over or unreachable: an instance holding a still-valid token keeps
// serving it (no refresh against the provider through the first half of the refresh-ahead
// window), fetches on its own at most once per token lifetime, and shares again once the store
// is back. The default refresh policy: a 60-minute token is refreshed from minute 54 (a 6-minute
// lead), so a refresh put off by a failing store fetches on its own from minute 57.
const MIN = 60_000;

function issuer(clock: () => number, lifetimeMs = 60 * MIN) {
  let n = 0;
  return vi.fn(async () => {
    const id = ++n;
    await new Promise((r) => setTimeout(r, 2));
    return createToken({ accessToken: `tok-${id}`, tokenType: 'Bearer', issuedAt: clock(), expiresAt: clock() + lifetimeMs });
  });
}

/** Redis stand-in shared by the instances; `down` makes every operation fail as a dead server does. */
function switchableStore() {
  const data = new Map<string, Token>();
  const locks = new Set<string>();
  const state = { down: false, calls: 0, locks: 0 };
  const guard = () => {
    state.calls += 1;
    if (state.down) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
  };
  const store: TokenStore = {
    async get(key) {
      guard();
      return data.get(key);
    },
    async set(key, token) {
      guard();
      data.set(key, token);
    },
    async delete(key) {
      guard();
      data.delete(key);
    },
    async lock(key): Promise<Lock | undefined> {
      state.locks += 1;
      guard();
      if (locks.has(key)) return undefined;
      locks.add(key);
      return { release: async () => void locks.delete(key) };
    },
  };
  return { store, state };
}

const settle = () => new Promise((r) => setTimeout(r, 30));

describe('a shared store that fails while the cached token is valid', () => {
  it('keeps serving the token without asking the provider through the first half of the refresh window', async () => {
    const clock = fakeClock();
    const { store, state } = switchableStore();
    const events: FintokenEvent[] = [];
    const cache = new TokenCache({ now: clock, store, onEvent: (e) => events.push(e) });
    const fetcher = issuer(clock);
    const first = await cache.get('k', fetcher);
    expect(fetcher).toHaveBeenCalledTimes(1);

    state.down = true;
    clock.advance(54.5 * MIN);
    expect((await cache.get('k', fetcher)).accessToken).toBe(first.accessToken);
    await settle();
    expect(fetcher).toHaveBeenCalledTimes(1);
    // The put-off refresh is a failed load (paired with its token.requested), never a fetch.
    const failed = events.filter((e) => e.type === 'token.failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ reason: 'refresh-ahead', error: { code: 'ERR_NETWORK' } });
    expect(events.filter((e) => e.type === 'store.error').map((e) => e.reason)).toEqual(['get']);

    // Retried after the failure backoff (5 s), against the store only.
    for (let i = 0; i < 10; i++) {
      clock.advance(10_000);
      expect((await cache.get('k', fetcher)).accessToken).toBe(first.accessToken);
      await settle();
    }
    expect(fetcher).toHaveBeenCalledTimes(1);
    expect(events.filter((e) => e.type === 'token.failed')).toHaveLength(11);
  });

  it('fetches on its own once the second half of the window starts, before the token can expire', async () => {
    const clock = fakeClock();
    const { store, state } = switchableStore();
    const cache = new TokenCache({ now: clock, store });
    const fetcher = issuer(clock);
    const first = await cache.get('k', fetcher);
    state.down = true;
    const locksBefore = state.locks;

    clock.advance(56.9 * MIN);
    await cache.get('k', fetcher);
    await settle();
    expect(fetcher).toHaveBeenCalledTimes(1);

    clock.advance(0.2 * MIN);
    // This caller still gets the valid token; the background load now asks the provider, without
    // spending a lock attempt on a store whose read just failed.
    expect((await cache.get('k', fetcher)).accessToken).toBe(first.accessToken);
    await settle();
    expect(fetcher).toHaveBeenCalledTimes(2);
    expect(state.locks).toBe(locksBefore);
    const own = await cache.get('k', fetcher);
    expect(own.accessToken).toBe('tok-2');

    // Its own token has a lifetime of its own: put off again while the store is still down.
    clock.advance(55 * MIN);
    expect((await cache.get('k', fetcher)).accessToken).toBe('tok-2');
    await settle();
    expect(fetcher).toHaveBeenCalledTimes(2);
  });

  it('does not wait for the failure backoff past that point: a 4 s token is fetched at 3.6 s, not after it expired', async () => {
    const clock = fakeClock();
    const { store, state } = switchableStore();
    const cache = new TokenCache({ now: clock, store, failureBackoffMs: 5_000 });
    const fetcher = issuer(clock, 4_000);
    const first = await cache.get('k', fetcher);
    state.down = true;

    // Refresh-ahead from 3.2 s (a short token serves 80 % of its life first), put off until 3.6 s.
    clock.advance(3_300);
    expect((await cache.get('k', fetcher)).accessToken).toBe(first.accessToken);
    await settle();
    expect(fetcher).toHaveBeenCalledTimes(1);

    clock.advance(350);
    expect((await cache.get('k', fetcher)).accessToken).toBe(first.accessToken);
    await settle();
    expect(fetcher).toHaveBeenCalledTimes(2);
    clock.advance(100);
    const next = await cache.get('k', fetcher);
    expect(next.accessToken).toBe('tok-2');
    expect(next.expiresAt).toBeGreaterThan(clock());
  });

  it('honours a forced refresh at once, and a cold instance fetches: no one waits for the store', async () => {
    const clock = fakeClock();
    const { store, state } = switchableStore();
    const warm = new TokenCache({ now: clock, store });
    const fetcher = issuer(clock);
    const first = await warm.get('k', fetcher);
    state.down = true;

    clock.advance(55 * MIN);
    const forced = await warm.get('k', fetcher, { forceRefresh: true, rejectedToken: first.accessToken });
    expect(forced.accessToken).toBe('tok-2');
    const cold = new TokenCache({ now: clock, store });
    expect((await cold.get('k', fetcher)).accessToken).toBe('tok-3');
    expect(fetcher).toHaveBeenCalledTimes(3);
  });

  it('a forced refresh during a put-off refresh still gets a new token', async () => {
    const clock = fakeClock();
    const { store, state } = switchableStore();
    const cache = new TokenCache({ now: clock, store });
    const fetcher = issuer(clock);
    const first = await cache.get('k', fetcher);
    state.down = true;
    clock.advance(55 * MIN);
    // The background refresh starts (and is put off) while the forced one joins it.
    const [ahead, forced] = await Promise.all([cache.get('k', fetcher), cache.get('k', fetcher, { forceRefresh: true, rejectedToken: first.accessToken })]);
    expect(ahead.accessToken).toBe(first.accessToken);
    expect(forced.accessToken).not.toBe(first.accessToken);
    expect(fetcher).toHaveBeenCalledTimes(2);
  });

  it('four instances through an outage covering a whole refresh window: one request each at most, then one for all', async () => {
    const clock = fakeClock();
    const { store, state } = switchableStore();
    const fetcher = issuer(clock);
    const fleet = Array.from({ length: 4 }, () => new TokenCache({ now: clock, store }));
    await Promise.all(fleet.map((c) => c.get('k', fetcher)));
    expect(fetcher).toHaveBeenCalledTimes(1);

    state.down = true;
    // Minute 54 to 60 in 15 s steps, every instance called at each step.
    for (let t = 54 * MIN; t <= 60 * MIN; t += 15_000) {
      clock.set(Date.UTC(2026, 10, 25, 12) + t);
      const tokens = await Promise.all(fleet.map((c) => c.get('k', fetcher)));
      for (const token of tokens) expect(token.expiresAt).toBeGreaterThan(clock());
      await settle();
      // Through the first half of the window (minutes 54 to 57) nobody asks the provider.
      if (t < 57 * MIN) expect(fetcher).toHaveBeenCalledTimes(1);
    }
    expect(fetcher).toHaveBeenCalledTimes(1 + fleet.length);

    // The store is back: the next refresh is one request for the fleet again.
    state.down = false;
    clock.advance(55 * MIN);
    await Promise.all(fleet.map((c) => c.get('k', fetcher)));
    await settle();
    await Promise.all(fleet.map((c) => c.get('k', fetcher)));
    await settle();
    expect(fetcher).toHaveBeenCalledTimes(1 + fleet.length + 1);
  });

  it('shares again when the store comes back before the second half of the window', async () => {
    const clock = fakeClock();
    const { store, state } = switchableStore();
    const fetcher = issuer(clock);
    const fleet = Array.from({ length: 4 }, () => new TokenCache({ now: clock, store }));
    await Promise.all(fleet.map((c) => c.get('k', fetcher)));

    state.down = true;
    clock.advance(54.5 * MIN);
    await Promise.all(fleet.map((c) => c.get('k', fetcher)));
    await settle();
    expect(fetcher).toHaveBeenCalledTimes(1);

    state.down = false;
    clock.advance(10_000);
    // One instance takes the lock and fetches; the others find its token in the store.
    await fleet[0]?.get('k', fetcher);
    await settle();
    await Promise.all(fleet.slice(1).map((c) => c.get('k', fetcher)));
    await settle();
    const tokens = await Promise.all(fleet.map((c) => c.get('k', fetcher)));
    expect(fetcher).toHaveBeenCalledTimes(2);
    expect(new Set(tokens.map((t) => t.accessToken))).toEqual(new Set(['tok-2']));
  });
});
