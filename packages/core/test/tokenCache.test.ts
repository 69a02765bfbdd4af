import { describe, expect, it, vi } from 'vitest';
import { ConfigurationError, createToken, TokenCache, type CommonOptions, type FintokenEvent, type Token, type TokenStore, type Lock } from '../src/index.js';
import { createProviderClient } from '../src/provider.js';
import { fetchDeadlineMs, resolveLockTiming } from '../src/lockTiming.js';
import { fakeClock } from './helpers.js';
import { commonOptionsShape, parseOptions } from '../src/options.js';
import * as z from '../src/schema.js';

const MIN = 60_000;

function issuer(clock: () => number, lifetimeMs = 60 * MIN) {
  let n = 0;
  const fetcher = vi.fn(async () => {
    n += 1;
    const id = n;
    await new Promise((r) => setTimeout(r, 5));
    return createToken({ accessToken: `tok-${id}`, tokenType: 'Bearer', issuedAt: clock(), expiresAt: clock() + lifetimeMs });
  });
  return fetcher;
}

describe('TokenCache', () => {
  it('makes one upstream request for 1,000 concurrent callers', async () => {
    const clock = fakeClock();
    const cache = new TokenCache({ now: clock });
    const fetcher = issuer(clock);
    const tokens = await Promise.all(Array.from({ length: 1000 }, () => cache.get('k', fetcher)));
    expect(fetcher).toHaveBeenCalledTimes(1);
    expect(new Set(tokens.map((t) => t.accessToken))).toEqual(new Set(['tok-1']));
  });

  it('serves later calls from the cache', async () => {
    const clock = fakeClock();
    const cache = new TokenCache({ now: clock });
    const fetcher = issuer(clock);
    await cache.get('k', fetcher);
    clock.advance(30 * MIN);
    expect((await cache.get('k', fetcher)).accessToken).toBe('tok-1');
    expect(fetcher).toHaveBeenCalledTimes(1);
  });

  it('keeps keys apart', async () => {
    const clock = fakeClock();
    const cache = new TokenCache({ now: clock });
    const fetcher = issuer(clock);
    const [a, b] = await Promise.all([cache.get('a', fetcher), cache.get('b', fetcher)]);
    expect(a.accessToken).not.toBe(b.accessToken);
    expect(fetcher).toHaveBeenCalledTimes(2);
  });

  it('delivers one failure to every waiter and does not cache it', async () => {
    const clock = fakeClock();
    const cache = new TokenCache({ now: clock });
    const boom = new Error('provider down');
    const failing = vi.fn(async () => {
      await new Promise((r) => setTimeout(r, 5));
      throw boom;
    });
    const results = await Promise.allSettled(Array.from({ length: 50 }, () => cache.get('k', failing)));
    expect(failing).toHaveBeenCalledTimes(1);
    expect(results.every((r) => r.status === 'rejected' && r.reason === boom)).toBe(true);
    const fetcher = issuer(clock);
    expect((await cache.get('k', fetcher)).accessToken).toBe('tok-1');
  });

  it('refreshes ahead of expiry while handing out the still-valid token', async () => {
    const clock = fakeClock();
    const cache = new TokenCache({ now: clock });
    const fetcher = issuer(clock, 60 * MIN);
    await cache.get('k', fetcher);
    // Default lead: max(60 s, 10 % of 60 min) = 6 min. At 55 min the token is in the window.
    clock.advance(55 * MIN);
    const during = await Promise.all(Array.from({ length: 20 }, () => cache.get('k', fetcher)));
    expect(during.every((t) => t.accessToken === 'tok-1')).toBe(true);
    await vi.waitFor(() => expect(fetcher).toHaveBeenCalledTimes(2));
    await vi.waitFor(async () => expect((await cache.get('k', fetcher)).accessToken).toBe('tok-2'));
    expect(fetcher).toHaveBeenCalledTimes(2);
  });

  it('fresh: inside the refresh window, callers get the replacement, one request for all of them', async () => {
    const clock = fakeClock();
    const cache = new TokenCache({ now: clock });
    const fetcher = issuer(clock, 60 * MIN);
    await cache.get('k', fetcher);
    clock.advance(30 * MIN);
    // Outside the window `fresh` changes nothing: the cached token, no request.
    expect((await cache.get('k', fetcher, { fresh: true })).accessToken).toBe('tok-1');
    clock.advance(25 * MIN);
    const [plain, ...fresh] = await Promise.all([cache.get('k', fetcher), ...Array.from({ length: 20 }, () => cache.get('k', fetcher, { fresh: true }))]);
    expect(plain!.accessToken).toBe('tok-1');
    expect(fresh.every((t) => t.accessToken === 'tok-2')).toBe(true);
    expect(fetcher).toHaveBeenCalledTimes(2);
  });

  it('fresh: a failed refresh answers with the still-valid token, never an expired one', async () => {
    const clock = fakeClock();
    const cache = new TokenCache({ now: clock });
    await cache.get('k', issuer(clock, 60 * MIN));
    clock.advance(55 * MIN);
    const failing = vi.fn(async () => {
      throw new Error('down');
    });
    expect((await cache.get('k', failing, { fresh: true })).accessToken).toBe('tok-1');
    expect(failing).toHaveBeenCalledTimes(1);
    const slowFailure = vi.fn(async () => {
      clock.advance(6 * MIN); // the old token expires while the refresh is under way
      throw new Error('down');
    });
    clock.advance(10_000); // past the failure backoff
    await expect(cache.get('k', slowFailure, { fresh: true })).rejects.toThrow('down');
  });

  it('lets a short token serve 80 % of its lifetime before refreshing it, about one request per lifetime', async () => {
    const clock = fakeClock();
    const cache = new TokenCache({ now: clock });
    const fetcher = issuer(clock, 2_000);
    await cache.get('k', fetcher);
    // Lead min(max(60 s, 10 %), half, a fifth) = 400 ms of the 2,000.
    clock.advance(1_590);
    await cache.get('k', fetcher);
    expect(fetcher).toHaveBeenCalledTimes(1);
    clock.advance(20);
    expect((await cache.get('k', fetcher)).accessToken).toBe('tok-1');
    await vi.waitFor(() => expect(fetcher).toHaveBeenCalledTimes(2));
  });

  it('fresh: for a token handed on (a browser refreshing ahead itself) the window opens at half the lifetime', async () => {
    const clock = fakeClock();
    const cache = new TokenCache({ now: clock });
    const fetcher = issuer(clock, 60_000);
    await cache.get('k', fetcher);
    clock.advance(29_000);
    expect((await cache.get('k', fetcher, { fresh: true })).accessToken).toBe('tok-1');
    clock.advance(2_000);
    // Past half its life: an ordinary caller still gets the cached token, a fresh one the replacement.
    expect((await cache.get('k', fetcher)).accessToken).toBe('tok-1');
    expect(fetcher).toHaveBeenCalledTimes(1);
    expect((await cache.get('k', fetcher, { fresh: true })).accessToken).toBe('tok-2');
    expect(fetcher).toHaveBeenCalledTimes(2);
  });

  it('keeps the refresh instant and the failure backoff exact with a fractional clock and lifetime', async () => {
    const clock = fakeClock(Date.UTC(2026, 10, 25, 12) + 0.25);
    const cache = new TokenCache({ now: clock, refreshAhead: 1_000.5 });
    const fetcher = vi.fn(async () => createToken({ accessToken: `tok-${fetcher.mock.calls.length}`, tokenType: 'Bearer', issuedAt: clock(), expiresAt: clock() + 10_000.7 }));
    await cache.get('k', fetcher);
    // The policy says 9,000.2 ms; the lead is kept in whole ms (1,001), so due at 8,999.7: at most 1 ms early, never late.
    clock.advance(8_998.9);
    await cache.get('k', fetcher);
    expect(fetcher).toHaveBeenCalledTimes(1);
    clock.advance(1.5);
    await cache.get('k', fetcher);
    await vi.waitFor(() => expect(fetcher).toHaveBeenCalledTimes(2));
    expect(cache.peek('k')?.accessToken).toBe('tok-2');
  });

  it('never returns an expired token', async () => {
    const clock = fakeClock();
    const cache = new TokenCache({ now: clock, refreshAhead: false });
    const fetcher = issuer(clock, 10 * MIN);
    await cache.get('k', fetcher);
    clock.advance(10 * MIN);
    const t = await cache.get('k', fetcher);
    expect(t.accessToken).toBe('tok-2');
    expect(t.expiresAt).toBeGreaterThan(clock());
    expect(cache.peek('k')?.accessToken).toBe('tok-2');
  });

  it('rejects a token that arrives already expired and caches nothing', async () => {
    const clock = fakeClock();
    const cache = new TokenCache({ now: clock });
    const dead = async () => createToken({ accessToken: 'dead', tokenType: 'Bearer', expiresAt: clock() - 1 });
    await expect(cache.get('k', dead)).rejects.toMatchObject({ code: 'ERR_RESPONSE_VALIDATION' });
    expect(cache.peek('k')).toBeUndefined();
  });

  it('keeps serving the valid token when a background refresh fails, and backs off', async () => {
    const clock = fakeClock();
    const events: FintokenEvent[] = [];
    const cache = new TokenCache({ now: clock, onEvent: (e) => events.push(e) });
    const good = issuer(clock);
    await cache.get('k', good);
    clock.advance(55 * MIN);
    const failing = vi.fn(async () => {
      throw new Error('down');
    });
    expect((await cache.get('k', failing)).accessToken).toBe('tok-1');
    await vi.waitFor(() => expect(events.some((e) => e.type === 'token.failed')).toBe(true));
    await cache.get('k', failing);
    expect(failing).toHaveBeenCalledTimes(1);
    clock.advance(6_000);
    await cache.get('k', failing);
    await vi.waitFor(() => expect(failing).toHaveBeenCalledTimes(2));
  });

  it('forceRefresh replaces the cached token and concurrent forced refreshes share one request', async () => {
    const clock = fakeClock();
    const cache = new TokenCache({ now: clock });
    const fetcher = issuer(clock);
    const first = await cache.get('k', fetcher);
    const forced = await Promise.all(Array.from({ length: 100 }, () => cache.get('k', fetcher, { forceRefresh: true })));
    expect(forced.every((t) => t.accessToken === 'tok-2' && t.accessToken !== first.accessToken)).toBe(true);
    expect(fetcher).toHaveBeenCalledTimes(2);
  });

  it('a storm of 401s for one rejected token makes exactly one token request, even when they arrive late', async () => {
    const clock = fakeClock();
    const cache = new TokenCache({ now: clock });
    const fetcher = issuer(clock);
    const rejected = (await cache.get('k', fetcher)).accessToken;
    const early = Array.from({ length: 50 }, () => cache.get('k', fetcher, { forceRefresh: true, rejectedToken: rejected }));
    await Promise.all(early);
    // These 401s were for the old token but arrive after the replacement is cached.
    const late = await Promise.all(Array.from({ length: 50 }, () => cache.get('k', fetcher, { forceRefresh: true, rejectedToken: rejected })));
    expect(late.every((t) => t.accessToken === 'tok-2')).toBe(true);
    expect(fetcher).toHaveBeenCalledTimes(2);
  });

  it('replaces a rejected token at once, but at most once per key and interval however often the replacement is rejected', async () => {
    const clock = fakeClock();
    const events: string[] = [];
    const cache = new TokenCache({ now: clock, onEvent: (e) => events.push(`${e.type}:${e.reason ?? ''}`) });
    const fetcher = issuer(clock);
    const first = await cache.get('k', fetcher);
    // A genuine revocation: replaced at once.
    const second = await cache.get('k', fetcher, { forceRefresh: true, rejectedToken: first.accessToken });
    expect(second.accessToken).not.toBe(first.accessToken);
    // An attacker (or a broken API) rejecting every token it is handed: no more token requests.
    let current = second;
    for (let i = 0; i < 12; i++) {
      current = await cache.get('k', fetcher, { forceRefresh: true, rejectedToken: current.accessToken });
      clock.advance(2_000);
    }
    expect(current.accessToken).toBe(second.accessToken);
    expect(fetcher).toHaveBeenCalledTimes(2);
    expect(events).toContain('cache.hit:forced-bounded');
    // Once the interval (30 s by default) has passed since the replacement, a rejection counts again.
    clock.advance(10_000);
    const third = await cache.get('k', fetcher, { forceRefresh: true, rejectedToken: current.accessToken });
    expect(third.accessToken).not.toBe(second.accessToken);
    expect(fetcher).toHaveBeenCalledTimes(3);
  });

  it('bounds forced replacements per key: another key is replaced at once, and 0 turns the bound off', async () => {
    const clock = fakeClock();
    const cache = new TokenCache({ now: clock, forcedRefreshIntervalMs: 0 });
    const fetcher = issuer(clock);
    let a = await cache.get('a', fetcher);
    for (let i = 0; i < 3; i++) a = await cache.get('a', fetcher, { forceRefresh: true, rejectedToken: a.accessToken });
    expect(fetcher).toHaveBeenCalledTimes(4);

    const bounded = new TokenCache({ now: clock, forcedRefreshIntervalMs: 5_000 });
    const f2 = issuer(clock);
    const x = await bounded.get('x', f2);
    const y = await bounded.get('y', f2);
    const x2 = await bounded.get('x', f2, { forceRefresh: true, rejectedToken: x.accessToken });
    const y2 = await bounded.get('y', f2, { forceRefresh: true, rejectedToken: y.accessToken });
    expect(await bounded.get('x', f2, { forceRefresh: true, rejectedToken: x2.accessToken })).toEqual(x2);
    expect(y2.accessToken).not.toBe(y.accessToken);
    // A plain forceRefresh (no rejected token: the application's own decision) is never bounded.
    const x3 = await bounded.get('x', f2, { forceRefresh: true });
    expect(x3.accessToken).not.toBe(x2.accessToken);
    expect(f2).toHaveBeenCalledTimes(5);
  });

  it('bounds its size with least-recently-used eviction', async () => {
    const clock = fakeClock();
    const cache = new TokenCache({ now: clock, maxEntries: 3 });
    const fetcher = issuer(clock);
    await cache.get('a', fetcher);
    await cache.get('b', fetcher);
    await cache.get('c', fetcher);
    await cache.get('a', fetcher); // a is recently used
    await cache.get('d', fetcher);
    expect(cache.size).toBe(3);
    expect(cache.peek('a')).toBeDefined();
    expect(cache.peek('b')).toBeUndefined();
  });

  it('rejects a waiter whose AbortSignal fires while the shared request goes on', async () => {
    const clock = fakeClock();
    const cache = new TokenCache({ now: clock });
    const fetcher = issuer(clock);
    const controller = new AbortController();
    const aborted = cache.get('k', fetcher, { signal: controller.signal });
    const other = cache.get('k', fetcher);
    controller.abort();
    await expect(aborted).rejects.toMatchObject({ code: 'ERR_ABORTED' });
    expect((await other).accessToken).toBe('tok-1');
  });

  it('emits events without token values', async () => {
    const clock = fakeClock();
    const events: FintokenEvent[] = [];
    const cache = new TokenCache({ now: clock, onEvent: (e) => events.push(e), provider: 'test' });
    const fetcher = issuer(clock);
    await cache.get('k', fetcher);
    await cache.get('k', fetcher);
    expect(events.map((e) => e.type)).toEqual(['cache.miss', 'token.requested', 'token.fetched', 'cache.hit']);
    expect(JSON.stringify(events)).not.toContain('tok-1');
    expect(events[0]?.provider).toBe('test');
  });

  it('survives a listener that throws', async () => {
    const clock = fakeClock();
    const cache = new TokenCache({ now: clock, onEvent: () => { throw new Error('bad listener'); } });
    expect((await cache.get('k', issuer(clock))).accessToken).toBe('tok-1');
  });
});

/** A shared store with a lock, standing in for Redis between two caches ("instances"). */
function sharedStore(): TokenStore & { sets: number } {
  const data = new Map<string, Token>();
  const locks = new Set<string>();
  const store = {
    sets: 0,
    async get(key: string) {
      return data.get(key);
    },
    async set(key: string, token: Token) {
      store.sets += 1;
      data.set(key, token);
    },
    async delete(key: string) {
      data.delete(key);
    },
    async lock(key: string): Promise<Lock | undefined> {
      if (locks.has(key)) return undefined;
      locks.add(key);
      return { release: async () => void locks.delete(key) };
    },
  };
  return store;
}

describe('TokenCache with a shared store', () => {
  it('makes one upstream request across instances sharing a store', async () => {
    const clock = fakeClock();
    const store = sharedStore();
    const fetcher = issuer(clock);
    const instances = Array.from({ length: 4 }, () => new TokenCache({ now: clock, store }));
    const tokens = await Promise.all(instances.flatMap((c) => Array.from({ length: 25 }, () => c.get('k', fetcher))));
    expect(fetcher).toHaveBeenCalledTimes(1);
    expect(new Set(tokens.map((t) => t.accessToken)).size).toBe(1);
  });

  it('falls back to the provider when the store fails', async () => {
    const clock = fakeClock();
    const events: FintokenEvent[] = [];
    const broken: TokenStore = {
      get: async () => {
        throw new Error('ECONNREFUSED secret-in-message');
      },
      set: async () => {
        throw new Error('down');
      },
      delete: async () => undefined,
      lock: async () => {
        throw new Error('down');
      },
    };
    const cache = new TokenCache({ now: clock, store: broken, onEvent: (e) => events.push(e) });
    expect((await cache.get('k', issuer(clock))).accessToken).toBe('tok-1');
    expect(events.filter((e) => e.type === 'store.error').length).toBeGreaterThan(0);
    expect(JSON.stringify(events)).not.toContain('secret-in-message');
  });

  it('a waiter fetches itself when the lock holder never delivers', async () => {
    const clock = fakeClock();
    const stuck: TokenStore = {
      get: async () => undefined,
      set: async () => undefined,
      delete: async () => undefined,
      lock: async () => undefined, // someone else holds it forever
    };
    const cache = new TokenCache({ now: clock, store: stuck, fetchDeadlineMs: 50, lockTtlMs: 60, waitTimeoutMs: 100 });
    const fetcher = issuer(clock);
    expect((await cache.get('k', fetcher)).accessToken).toBe('tok-1');
    expect(fetcher).toHaveBeenCalledTimes(1);
  });
});

describe('shared-store lock timing: fetch deadline ≤ lockTtlMs ≤ waitTimeoutMs', () => {
  const locking: TokenStore = { get: async () => undefined, set: async () => undefined, delete: async () => undefined, lock: async () => undefined };

  it('refuses a wait shorter than the lock: waiters would give up on a live lock', () => {
    expect(() => new TokenCache({ store: locking, fetchDeadlineMs: 1_000, lockTtlMs: 5_000, waitTimeoutMs: 4_000 })).toThrow(ConfigurationError);
  });

  it('refuses a lock shorter than one fetch: a slow holder would lose it', () => {
    expect(() => new TokenCache({ store: locking, fetchDeadlineMs: 10_000, lockTtlMs: 5_000 })).toThrow(/lockTtlMs \(5000 ms\) is shorter than one token fetch/);
  });

  it('derives both from the fetch deadline when unset, and checks nothing without a distributed lock', () => {
    expect(resolveLockTiming({ fetchDeadlineMs: 10_000 })).toEqual({ lockTtlMs: 12_000, waitTimeoutMs: 13_000 });
    expect(() => new TokenCache({ store: { ...locking, lock: undefined }, lockTtlMs: 1, waitTimeoutMs: 1 })).not.toThrow();
  });

  it('derives the fetch deadline from timeoutMs, attempts and backoff, capped by the retry deadline', () => {
    expect(fetchDeadlineMs(10_000, false)).toBe(10_000);
    expect(fetchDeadlineMs(10_000, {})).toBe(30_000);
    expect(fetchDeadlineMs(1_000, { attempts: 3, baseDelayMs: 100 })).toBe(3_000 + 100 + 200);
  });

  it('a client refuses a stampede-prone combination at construction', () => {
    const make = (options: CommonOptions) =>
      createProviderClient({ provider: 'p', environment: 'e', clientId: 'c', secrets: [], options, fetchToken: async () => createToken({ accessToken: 'a', tokenType: 'Bearer', expiresAt: Date.now() + 60_000 }) });
    expect(() => make({ store: locking, waitTimeoutMs: 10_000 })).toThrow(ConfigurationError);
    expect(() => make({ store: locking, timeoutMs: 1_000, retry: false, lockTtlMs: 3_000, waitTimeoutMs: 4_000 })).not.toThrow();
  });
});

describe('TokenCache: work that outlives its call (waitUntil, workerd)', () => {
  const lockingStore = (released: string[]): TokenStore => {
    const data = new Map<string, Token>();
    return {
      get: async (k) => data.get(k),
      set: async (k, t) => void data.set(k, t),
      delete: async (k) => void data.delete(k),
      lock: async (k): Promise<Lock> => ({ release: async () => void released.push(k) }),
    };
  };

  it('hands waitUntil the refresh ahead (its caller already has the valid token) and the lock release', async () => {
    const clock = fakeClock();
    const kept: Promise<unknown>[] = [];
    const released: string[] = [];
    const cache = new TokenCache({ now: clock, refreshAhead: 5 * MIN, store: lockingStore(released), waitUntil: (p) => void kept.push(p) });
    const fetcher = issuer(clock);
    await cache.get('k', fetcher);
    expect(kept).toHaveLength(1); // the release of the first load's lock
    clock.advance(56 * MIN);
    expect((await cache.get('k', fetcher)).accessToken).toBe('tok-1');
    expect(kept).toHaveLength(2);
    await kept[1];
    expect(cache.peek('k')?.accessToken).toBe('tok-2');
    await Promise.all(kept);
    expect(released).toEqual(['k', 'k']);
    expect(kept).toHaveLength(3);
  });

  it('a waitUntil that throws (called outside a request) changes nothing', async () => {
    const clock = fakeClock();
    const cache = new TokenCache({ now: clock, refreshAhead: 5 * MIN, waitUntil: () => { throw new Error('no request context'); } });
    const fetcher = issuer(clock);
    await cache.get('k', fetcher);
    clock.advance(56 * MIN);
    expect((await cache.get('k', fetcher)).accessToken).toBe('tok-1');
    await vi.waitFor(() => expect(cache.peek('k')?.accessToken).toBe('tok-2'));
  });

  describe('on workerd (navigator.userAgent "Cloudflare-Workers") without waitUntil', () => {
    const asWorkerd = async (run: () => Promise<void>) => {
      const had = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
      Object.defineProperty(globalThis, 'navigator', { value: { userAgent: 'Cloudflare-Workers' }, configurable: true, writable: true });
      try {
        await run();
      } finally {
        if (had === undefined) delete (globalThis as { navigator?: unknown }).navigator;
        else Object.defineProperty(globalThis, 'navigator', had);
      }
    };

    it('the caller that starts a refresh ahead waits for it; callers meanwhile get the valid token', () =>
      asWorkerd(async () => {
        const clock = fakeClock();
        const cache = new TokenCache({ now: clock, refreshAhead: 5 * MIN });
        const fetcher = issuer(clock);
        await cache.get('k', fetcher);
        clock.advance(56 * MIN);
        const starter = cache.get('k', fetcher);
        const meanwhile = await cache.get('k', fetcher);
        expect(meanwhile.accessToken).toBe('tok-1');
        expect((await starter).accessToken).toBe('tok-2');
        expect(fetcher).toHaveBeenCalledTimes(2);
      }));

    it('if that refresh fails, its caller gets the still-valid token', () =>
      asWorkerd(async () => {
        const clock = fakeClock();
        const cache = new TokenCache({ now: clock, refreshAhead: 5 * MIN });
        await cache.get('k', issuer(clock));
        clock.advance(56 * MIN);
        const failing = vi.fn(async () => {
          throw new Error('provider down');
        });
        expect((await cache.get('k', failing)).accessToken).toBe('tok-1');
        expect(failing).toHaveBeenCalledTimes(1);
      }));

    it('with waitUntil the refresh stays in the background', () =>
      asWorkerd(async () => {
        const clock = fakeClock();
        const kept: Promise<unknown>[] = [];
        const cache = new TokenCache({ now: clock, refreshAhead: 5 * MIN, waitUntil: (p) => void kept.push(p) });
        const fetcher = issuer(clock);
        await cache.get('k', fetcher);
        clock.advance(56 * MIN);
        expect((await cache.get('k', fetcher)).accessToken).toBe('tok-1');
        await Promise.all(kept);
        expect(cache.peek('k')?.accessToken).toBe('tok-2');
      }));
  });

  it('the option is checked: a waitUntil that is not a function is a ConfigurationError', () => {
    const schema = z.strictObject(commonOptionsShape);
    expect(() => parseOptions(schema, { waitUntil: 'later' }, 'createExampleClient')).toThrow(ConfigurationError);
    expect(() => parseOptions(schema, { waitUntil: 'later' }, 'createExampleClient')).toThrow(/waitUntil: must be a function/);
    expect(parseOptions(schema, { waitUntil: () => undefined }, 'createExampleClient').waitUntil).toBeTypeOf('function');
  });
});
