import { AbortError, createToken, ResponseValidationError, type CacheGetOptions, type FintokenEvent, type Token, type TokenFetcher } from '@fintoken/core/cache';
import { describe, expect, it } from 'vitest';

/** What the contract drives: the one token of a page, whichever implementation holds it. */
export interface CacheUnderTest {
  get(options?: CacheGetOptions): Promise<Token>;
  peek(): Token | undefined;
  delete(): unknown;
}

/** Builds a cache around the contract's fetcher and clock, as its package builds it for a page. */
export type MakeCache = (context: { fetcher: TokenFetcher; now: () => number; refreshAheadMs: number; onEvent: (event: FintokenEvent) => void }) => CacheUnderTest;

export interface ContractOptions {
  /**
   * Cases this implementation is known to break (reported, not yet fixed): run with `it.fails`,
   * so the suite goes red the day the drift is fixed and the entry must be removed.
   */
  drift?: string[];
}

const LIFETIME = 3_600_000;
const LEAD = 30_000; // refreshAheadMs; a third of LIFETIME is far more, so the lead is 30 s

/** A fetcher the test answers by hand, so the order of requests, answers and calls is exact. */
function scripted() {
  const calls: Array<{ reason: string; rejectedToken?: string; resolve(token: Token): void; reject(error: unknown): void }> = [];
  const fetcher: TokenFetcher = (context) => new Promise<Token>((resolve, reject) => calls.push({ ...context, resolve, reject }));
  return { calls, fetcher };
}

const settle = (ms = 30) => new Promise((resolve) => setTimeout(resolve, ms));

/** The cache's invariants (DESIGN.md, "TokenCache"), the same for every implementation. */
export function cacheContract(name: string, make: MakeCache, { drift = [] }: ContractOptions = {}): void {
  function setup() {
    let t = 1_000_000;
    const { calls, fetcher } = scripted();
    const events: FintokenEvent[] = [];
    const cache = make({ fetcher, now: () => t, refreshAheadMs: LEAD, onEvent: (event) => events.push(event) });
    const token = (accessToken: string, lifetime = LIFETIME) => createToken({ accessToken, tokenType: 'Bearer', issuedAt: t, expiresAt: t + lifetime });
    // The n-th fetch has started (an implementation may reach its fetcher a few ticks later).
    const called = (n: number) => expect.poll(() => calls.length, { timeout: 2_000, interval: 2 }).toBe(n);
    /** A cache holding token `a`, fetched at the current time. */
    const holding = async (accessToken = 'a') => {
      const before = calls.length;
      const first = cache.get();
      await called(before + 1);
      calls.at(-1)!.resolve(token(accessToken));
      expect((await first).accessToken).toBe(accessToken);
    };
    return {
      cache,
      calls,
      events,
      token,
      called,
      holding,
      advance: (ms: number) => void (t += ms),
      types: () => events.map((e) => (e.reason === undefined ? e.type : `${e.type}:${e.reason}`)),
    };
  }
  const test = (title: string, body: () => Promise<void>) => (drift.includes(title) ? it.fails : it)(title, body);

  describe(`cache contract: ${name}`, () => {
    test('makes one request for concurrent misses and gives every caller its token', async () => {
      const c = setup();
      const all = Promise.all(Array.from({ length: 20 }, () => c.cache.get()));
      await c.called(1);
      c.calls[0]!.resolve(c.token('a'));
      expect((await all).map((t) => t.accessToken)).toEqual(Array(20).fill('a'));
      await settle();
      expect(c.calls).toHaveLength(1);
      expect(c.calls[0]!.reason).toBe('miss');
      expect(c.types()).toEqual(expect.arrayContaining(['cache.miss', 'token.fetched:miss']));
      expect(c.types().indexOf('cache.miss')).toBeLessThan(c.types().indexOf('token.fetched:miss'));
    });

    test('serves the held token without a request until the refresh-ahead lead', async () => {
      const c = setup();
      await c.holding();
      c.advance(LIFETIME - LEAD - 1);
      expect((await c.cache.get()).accessToken).toBe('a');
      expect(c.cache.peek()?.accessToken).toBe('a');
      await settle();
      expect(c.calls).toHaveLength(1);
      expect(c.types()).toContain('cache.hit');
    });

    test('inside the lead serves the valid token while one background request replaces it', async () => {
      const c = setup();
      await c.holding();
      c.advance(LIFETIME - 20_000);
      const during = await Promise.all(Array.from({ length: 10 }, () => c.cache.get()));
      expect(during.map((t) => t.accessToken)).toEqual(Array(10).fill('a'));
      await c.called(2);
      expect(c.calls[1]!.reason).toBe('refresh-ahead');
      expect(c.types()).toContain('cache.hit:refresh-ahead');
      c.calls[1]!.resolve(c.token('b'));
      await expect.poll(async () => (await c.cache.get()).accessToken).toBe('b');
      expect(c.calls).toHaveLength(2);
      expect(c.types()).toContain('token.refreshed:refresh-ahead');
    });

    test('never returns an expired token: past expiry a caller waits for the new one', async () => {
      const c = setup();
      await c.holding();
      c.advance(LIFETIME);
      expect(c.cache.peek()).toBeUndefined();
      const waiting = c.cache.get();
      await c.called(2);
      expect(c.calls[1]!.reason).toBe('expired');
      c.calls[1]!.resolve(c.token('b'));
      expect((await waiting).accessToken).toBe('b');
    });

    test('refuses a token that arrives already expired and keeps nothing', async () => {
      const c = setup();
      const first = c.cache.get();
      await c.called(1);
      c.calls[0]!.resolve(c.token('stale', -1));
      const error = await first.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ResponseValidationError);
      expect(error).toMatchObject({ field: 'expires_in' });
      expect(c.cache.peek()).toBeUndefined();
      const again = c.cache.get();
      await c.called(2);
      c.calls[1]!.resolve(c.token('a'));
      expect((await again).accessToken).toBe('a');
    });

    test('does not remember a failure: the next call asks again', async () => {
      const c = setup();
      const boom = new Error('endpoint down');
      const first = c.cache.get();
      await c.called(1);
      c.calls[0]!.reject(boom);
      await expect(first).rejects.toBe(boom);
      expect(c.types()).toContain('token.failed:miss');
      const second = c.cache.get();
      await c.called(2);
      c.calls[1]!.resolve(c.token('a'));
      expect((await second).accessToken).toBe('a');
    });

    test('after a failed background refresh serves the valid token and tries again at most once per 5 s', async () => {
      const c = setup();
      await c.holding();
      c.advance(LIFETIME - 20_000);
      expect((await c.cache.get()).accessToken).toBe('a');
      await c.called(2);
      c.calls[1]!.reject(new Error('endpoint down'));
      await settle();
      c.advance(4_000);
      expect((await c.cache.get()).accessToken).toBe('a');
      await settle();
      expect(c.calls).toHaveLength(2);
      c.advance(1_500);
      expect((await c.cache.get()).accessToken).toBe('a');
      await c.called(3);
    });

    test('a forced refresh never returns the rejected token, and concurrent ones share one request', async () => {
      const c = setup();
      await c.holding();
      const forced = Promise.all(Array.from({ length: 10 }, () => c.cache.get({ forceRefresh: true, rejectedToken: 'a' })));
      await c.called(2);
      expect(c.calls[1]).toMatchObject({ reason: 'forced', rejectedToken: 'a' });
      c.calls[1]!.resolve(c.token('b'));
      expect((await forced).map((t) => t.accessToken)).toEqual(Array(10).fill('b'));
      await settle();
      expect(c.calls).toHaveLength(2);
      expect(c.types()).toContain('token.refreshed:forced');
    });

    test('a forced refresh naming a token already replaced answers with the replacement, without a request', async () => {
      const c = setup();
      await c.holding();
      const first = c.cache.get({ forceRefresh: true, rejectedToken: 'a' });
      await c.called(2);
      c.calls[1]!.resolve(c.token('b'));
      expect((await first).accessToken).toBe('b');
      // A late 401 for `a` (a call sent before the refresh) finds it replaced.
      expect((await c.cache.get({ forceRefresh: true, rejectedToken: 'a' })).accessToken).toBe('b');
      await settle();
      expect(c.calls).toHaveLength(2);
    });

    test('a forced refresh joining a request that brings back the rejected token asks once more', async () => {
      const c = setup();
      const plain = c.cache.get();
      await c.called(1);
      const forced = c.cache.get({ forceRefresh: true, rejectedToken: 'a' });
      c.calls[0]!.resolve(c.token('a'));
      expect((await plain).accessToken).toBe('a');
      await c.called(2);
      c.calls[1]!.resolve(c.token('b'));
      expect((await forced).accessToken).toBe('b');
    });

    test("aborting one caller rejects it alone: the others get the one request's token", async () => {
      const c = setup();
      const controller = new AbortController();
      const aborted = c.cache.get({ signal: controller.signal });
      const others = Promise.all([c.cache.get(), c.cache.get()]);
      await c.called(1);
      controller.abort();
      await expect(aborted).rejects.toBeInstanceOf(AbortError);
      c.calls[0]!.resolve(c.token('a'));
      expect((await others).map((t) => t.accessToken)).toEqual(['a', 'a']);
      expect(c.cache.peek()?.accessToken).toBe('a');
      expect(c.calls).toHaveLength(1);
    });

    test('an already aborted signal rejects at once and starts no request', async () => {
      const c = setup();
      const controller = new AbortController();
      controller.abort();
      await expect(c.cache.get({ signal: controller.signal })).rejects.toBeInstanceOf(AbortError);
      await settle();
      expect(c.calls).toHaveLength(0);
    });

    test('delete() forgets the token: the next call asks for a new one', async () => {
      const c = setup();
      await c.holding();
      await c.cache.delete();
      expect(c.cache.peek()).toBeUndefined();
      const next = c.cache.get();
      await c.called(2);
      c.calls[1]!.resolve(c.token('b'));
      expect((await next).accessToken).toBe('b');
    });

    test('delete() during a request: the waiting caller gets its token, but it is not kept', async () => {
      const c = setup();
      const waiting = c.cache.get();
      await c.called(1);
      await c.cache.delete();
      c.calls[0]!.resolve(c.token('before-delete'));
      expect((await waiting).accessToken).toBe('before-delete');
      await settle();
      // A sign-out's delete() must not be undone by a request that was already under way.
      expect(c.cache.peek()).toBeUndefined();
    });

    test('delete() during a request: a call after it asks anew, never getting the earlier token', async () => {
      const c = setup();
      const waiting = c.cache.get();
      await c.called(1);
      await c.cache.delete();
      const after = c.cache.get();
      await c.called(2);
      c.calls[0]!.resolve(c.token('before-delete'));
      c.calls[1]!.resolve(c.token('after-delete'));
      expect((await waiting).accessToken).toBe('before-delete');
      expect((await after).accessToken).toBe('after-delete');
      await settle();
      expect(c.cache.peek()?.accessToken).toBe('after-delete');
    });
  });
}
