import { raceSignal } from './abort.js';
import { AbortError, ResponseValidationError } from './errors.js';
import { BoundedMap } from './lru.js';
import { resolveLockTiming } from './lockTiming.js';
import { createRefreshPolicy, type RefreshAheadOption, type RefreshPolicy } from './refreshAhead.js';
import { deferredRefreshError, keepServingUntil, sharedLoad } from './sharedLoad.js';
import { createSingleFlight } from './singleFlight.js';
import type { Clock, EventListener, FintokenEvent, Token, TokenStore } from './types.js';

export type LoadReason = 'miss' | 'expired' | 'refresh-ahead' | 'forced';

/**
 * Fetches a new token from the provider. Wrapped by the cache, never called concurrently per key.
 * On a forced refresh, `rejectedToken` is the access token being replaced.
 */
export type TokenFetcher = (context: { reason: LoadReason; rejectedToken?: string }) => Promise<Token>;

export interface TokenCacheOptions {
  /** Bound of the in-memory layer (CLOCK eviction). Default 10,000. */
  maxEntries?: number;
  /** A shared store (e.g. Redis) behind the in-memory layer, for fleets. */
  store?: TokenStore;
  refreshAhead?: RefreshAheadOption;
  now?: Clock;
  onEvent?: EventListener;
  /** Named in events. */
  provider?: string;
  /**
   * The longest a distributed refresh lock may live: at least `fetchDeadlineMs`. A store that
   * renews a short lease while the holder works (the Redis store) frees a crashed holder's lock
   * sooner. Default `fetchDeadlineMs` + 2,000 ms.
   */
  lockTtlMs?: number;
  /**
   * How long an instance waits for another's refresh before fetching itself: at least
   * `lockTtlMs`, so no waiter gives up on a lock that may still be live. Default `lockTtlMs` + 1,000 ms.
   */
  waitTimeoutMs?: number;
  /** The longest one call of the fetcher can take (its timeout, retries and backoff). Default 30,000 ms. */
  fetchDeadlineMs?: number;
  /** After a failed background refresh, wait this long before trying again. Default 5,000 ms. */
  failureBackoffMs?: number;
  /**
   * Least time between two replacements of one key forced by a rejected token (`forceRefresh`
   * with `rejectedToken`, as after a 401). Inside it, a forced refresh that names the token such a
   * replacement just brought is answered with that token: whoever sends rejections (a browser
   * through the token endpoint, an API answering 401 to every token) cannot turn them into token
   * requests. The first rejection of a token is always honoured at once. `0` turns the bound off.
   * Default 30,000 ms.
   */
  forcedRefreshIntervalMs?: number;
  /**
   * Handed every promise that outlives the call that started it (a refresh ahead of expiry, a
   * lock release), to keep it alive: Cloudflare Workers' `waitUntil`. Without it on workerd,
   * which cancels a request's unfinished I/O once its response is sent, the caller that starts a
   * refresh ahead waits for it instead of leaving it in the background.
   */
  waitUntil?: (promise: Promise<unknown>) => void;
}

export interface CacheGetOptions {
  forceRefresh?: boolean;
  rejectedToken?: string;
  /** In the refresh-ahead window, answer with the replacement rather than the token it replaces. */
  fresh?: boolean;
  signal?: AbortSignal;
}

/**
 * One cached token, as small as it can be (bench: memory, at most 1.1x a plain Map's heap per
 * token). Times are small integers relative to the token's own `expiresAt`, so V8 stores them
 * inline (Smis) rather than as a boxed double each; a hit hands out `Promise.resolve(token)`
 * instead of keeping a resolved promise per entry (~56 B each, the price of one allocation per
 * hit, which an `async` function pays anyway).
 */
interface Entry {
  token: Token;
  /** Refresh-ahead lead in whole ms: the refresh is due at `token.expiresAt - lead`. */
  lead: number;
  /** After a failed background refresh, no other before `token.expiresAt + retryAt` (whole ms; `NO_BACKOFF` until then). */
  retryAt: number;
  referenced: boolean;
}

// The most negative small integer V8 keeps inline (a Smi): "no backoff", with the field never boxed.
const NO_BACKOFF = -(2 ** 30);

/**
 * Caches tokens per key: single-flight misses, refresh-ahead with the still-valid token served
 * meanwhile, never an expired token, forced refreshes that share one request. Wraps any fetcher
 * (aws-sdk `memoize` style), so providers only say how to fetch.
 */
export class TokenCache {
  readonly #entries: BoundedMap<Entry>;
  readonly #flight = createSingleFlight<Token>();
  /** The load each key's result belongs to: a `delete` or `clear` during a load disowns it. */
  readonly #loads = new Map<string, object>();
  readonly #policy: RefreshPolicy;
  readonly #now: Clock;
  readonly #onEvent: EventListener | undefined;
  readonly #store: TokenStore | undefined;
  readonly #provider: string | undefined;
  readonly #lockTtlMs: number;
  readonly #waitTimeoutMs: number;
  readonly #failureBackoffMs: number;
  readonly #forcedRefreshIntervalMs: number;
  /** When each key was last replaced by a forced load; only keys that had one, oldest first. */
  readonly #forcedAt = new Map<string, number>();
  readonly #maxEntries: number;
  readonly #waitUntil: ((promise: Promise<unknown>) => void) | undefined;
  /** Refresh-ahead in the caller's own call: workerd without `waitUntil` (see the option). */
  readonly #foregroundRefresh: boolean;

  constructor(options: TokenCacheOptions = {}) {
    this.#maxEntries = options.maxEntries ?? 10_000;
    this.#entries = new BoundedMap(this.#maxEntries);
    this.#policy = createRefreshPolicy(options.refreshAhead);
    this.#now = options.now ?? Date.now;
    this.#onEvent = options.onEvent;
    this.#store = options.store;
    this.#provider = options.provider;
    // Checked only where a stampede is possible: a store with a distributed lock.
    const timing = resolveLockTiming(options.store?.lock === undefined ? {} : options);
    this.#lockTtlMs = options.lockTtlMs ?? timing.lockTtlMs;
    this.#waitTimeoutMs = options.waitTimeoutMs ?? timing.waitTimeoutMs;
    this.#failureBackoffMs = options.failureBackoffMs ?? 5_000;
    this.#forcedRefreshIntervalMs = options.forcedRefreshIntervalMs ?? 30_000;
    const waitUntil = options.waitUntil;
    this.#waitUntil =
      waitUntil === undefined
        ? undefined
        : (promise) => {
            try {
              waitUntil(promise);
            } catch {
              // Called outside a request (e.g. at startup): nothing to extend, the promise runs on.
            }
          };
    this.#foregroundRefresh = waitUntil === undefined && isWorkerd();
  }

  /** Number of keys held in memory. */
  get size(): number {
    return this.#entries.size;
  }

  /** The cached token for `key`, or a new one from `fetcher`. */
  get(key: string, fetcher: TokenFetcher, options?: CacheGetOptions): Promise<Token> {
    const entry = this.#entries.get(key);
    if (entry !== undefined && options?.forceRefresh !== true) {
      const now = this.#now();
      const { token } = entry;
      const refreshAt = token.expiresAt - entry.lead;
      // A token handed on (a browser refreshing ahead on its own) has its window open earlier.
      // Without an issue time the remaining life stands in, and that window never opens early.
      const dueAt = options?.fresh === true ? Math.min(refreshAt, this.#policy(token.issuedAt ?? now, token.expiresAt, true)) : refreshAt;
      if (now < dueAt) {
        entry.referenced = true;
        if (this.#onEvent !== undefined) this.#emit({ type: 'cache.hit', key, expiresAt: token.expiresAt });
        return Promise.resolve(token);
      }
      if (now < token.expiresAt) {
        // Refresh-ahead: hand out the still-valid token while one background load replaces it.
        entry.referenced = true;
        if (now >= token.expiresAt + entry.retryAt && this.#flight.get(key) === undefined) {
          const refresh = this.#refreshInBackground(key, fetcher, entry, now);
          // workerd without waitUntil: a load left behind when this request ends would never settle.
          if (this.#foregroundRefresh) return raceSignal(this.#orStillValid(refresh, token), options?.signal);
        }
        const replacement = options?.fresh === true ? this.#flight.get(key) : undefined;
        if (replacement !== undefined) return raceSignal(this.#orStillValid(replacement, token), options?.signal);
        if (this.#onEvent !== undefined) this.#emit({ type: 'cache.hit', key, reason: 'refresh-ahead', expiresAt: token.expiresAt });
        return Promise.resolve(token);
      }
    }
    // An already-aborted caller starts nothing: no request, no orphaned rejection.
    if (options?.signal?.aborted === true) return Promise.reject(new AbortError('The request was aborted by its AbortSignal'));
    return raceSignal(this.#slowPath(key, fetcher, entry, options), options?.signal);
  }

  /** The cached token for `key` if it is still valid, without fetching. */
  peek(key: string): Token | undefined {
    const entry = this.#entries.get(key);
    return entry !== undefined && this.#now() < entry.token.expiresAt ? entry.token : undefined;
  }

  /** Forget `key` here and in the shared store. */
  async delete(key: string): Promise<void> {
    this.#entries.delete(key);
    this.#forcedAt.delete(key);
    this.#disown(key);
    if (this.#store !== undefined) await this.#store.delete(key);
  }

  /** Forget every in-memory entry (the shared store is left alone). */
  clear(): void {
    this.#entries.clear();
    this.#forcedAt.clear();
    for (const key of [...this.#loads.keys()]) this.#disown(key);
  }

  /**
   * A load under way for `key` no longer fills the cache: its waiters still get its token, but a
   * sign-out's `delete` stays final, and the next call asks anew instead of joining it.
   */
  #disown(key: string): void {
    if (!this.#loads.delete(key)) return;
    this.#flight.forget(key);
  }

  #slowPath(key: string, fetcher: TokenFetcher, entry: Entry | undefined, options?: CacheGetOptions): Promise<Token> {
    const force = options?.forceRefresh === true;
    if (force) {
      const rejected = options?.rejectedToken;
      // Someone already replaced the token the API rejected: that replacement is the answer.
      if (rejected !== undefined && entry !== undefined && entry.token.accessToken !== rejected && this.#now() < entry.token.expiresAt) {
        return Promise.resolve(entry.token);
      }
      // The rejected token is the one a forced replacement brought moments ago: replacing it again
      // inside the interval would let rejections be sent at will become token requests.
      if (rejected !== undefined && entry !== undefined && this.#now() < entry.token.expiresAt && this.#recentlyForced(key)) {
        this.#emit({ type: 'cache.hit', key, reason: 'forced-bounded', expiresAt: entry.token.expiresAt });
        return Promise.resolve(entry.token);
      }
      return this.#load(key, fetcher, 'forced', rejected ?? entry?.token.accessToken, false);
    }
    if (entry === undefined) this.#emit({ type: 'cache.miss', key });
    return this.#load(key, fetcher, entry === undefined ? 'miss' : 'expired', undefined, false);
  }

  /** Single-flight load. `avoid` is a token the result must differ from (forced refresh). */
  #load(key: string, fetcher: TokenFetcher, reason: LoadReason, avoid: string | undefined, joinedOnce: boolean): Promise<Token> {
    const inflight = this.#flight.get(key);
    if (inflight !== undefined) {
      if (avoid === undefined || joinedOnce) return inflight;
      // A load already under way may have been started before the rejection (e.g. read from
      // the shared store): take its result only if it is not the rejected token.
      return inflight.then((token) => (token.accessToken !== avoid ? token : this.#load(key, fetcher, reason, avoid, true)));
    }
    return this.#flight.run(key, () => this.#fetchAndStore(key, fetcher, reason, avoid));
  }

  async #fetchAndStore(key: string, fetcher: TokenFetcher, reason: LoadReason, avoid: string | undefined): Promise<Token> {
    const started = this.#now();
    // Emitted synchronously in the first caller's async context (a tracer's active span is theirs);
    // paired with exactly one of token.fetched, token.refreshed, token.failed or a shared-store hit.
    this.#emit({ type: 'token.requested', key, reason });
    const fetchContext = avoid === undefined ? { reason } : { reason, rejectedToken: avoid };
    const ticket = {};
    this.#loads.set(key, ticket);
    const own = () => {
      const mine = this.#loads.get(key) === ticket;
      if (mine) this.#loads.delete(key);
      return mine;
    };
    let fetched = true;
    let token: Token;
    try {
      if (this.#store === undefined) {
        token = await fetcher(fetchContext);
      } else {
        const result = await sharedLoad({
          store: this.#store,
          key,
          reason,
          avoid,
          fetch: () => fetcher(fetchContext),
          isFresh: (t) => this.#isFresh(t, reason),
          lockTtlMs: this.#lockTtlMs,
          waitTimeoutMs: this.#waitTimeoutMs,
          ...(reason === 'refresh-ahead' ? { keepServing: this.#keepServing(key) } : {}),
          emit: (event) => this.#emit(event),
          ...(this.#waitUntil === undefined ? {} : { keepAlive: this.#waitUntil }),
        });
        if (result.deferred === true) {
          // The store is failing: keep the entry (and its retry time) and serve its token.
          this.#emit({ type: 'token.failed', key, reason, durationMs: this.#now() - started, error: deferredRefreshError() });
          own();
          return result.token;
        }
        token = result.token;
        fetched = result.fetched;
      }
      if (!(token.expiresAt > this.#now())) {
        throw new ResponseValidationError('The provider returned a token that had already expired on arrival', {
          field: 'expires_in',
          ...(this.#provider === undefined ? {} : { provider: this.#provider }),
        });
      }
    } catch (error) {
      own();
      this.#emit({ type: 'token.failed', key, reason, durationMs: this.#now() - started, error: error as never });
      throw error;
    }
    // Deleted while it loaded (a sign-out, an invalidate): the token goes to this load's waiters only.
    if (own()) {
      this.#put(key, token);
      if (reason === 'forced') this.#markForced(key);
    }
    if (fetched) {
      const type = reason === 'miss' ? 'token.fetched' : 'token.refreshed';
      this.#emit({ type, key, reason, expiresAt: token.expiresAt, durationMs: this.#now() - started });
    } else {
      this.#emit({ type: 'cache.hit', key, reason: 'shared-store', expiresAt: token.expiresAt });
    }
    return token;
  }

  #recentlyForced(key: string): boolean {
    const at = this.#forcedAt.get(key);
    return at !== undefined && this.#now() - at < this.#forcedRefreshIntervalMs;
  }

  #markForced(key: string): void {
    if (this.#forcedRefreshIntervalMs <= 0) return;
    const now = this.#now();
    // Re-inserted so the map stays oldest first; bounded like the entries themselves.
    this.#forcedAt.delete(key);
    this.#forcedAt.set(key, now);
    for (const [k, at] of this.#forcedAt) {
      if (this.#forcedAt.size <= this.#maxEntries && now - at < this.#forcedRefreshIntervalMs) break;
      this.#forcedAt.delete(k);
    }
  }

  #isFresh(token: Token, reason: LoadReason): boolean {
    const now = this.#now();
    if (reason === 'miss' || reason === 'expired') return now < token.expiresAt;
    // A refresh-ahead may have been started by a `fresh` caller: a stored token counts as the
    // replacement only outside the earlier of the two windows.
    return now < this.#policy(token.issuedAt ?? now, token.expiresAt, reason === 'refresh-ahead');
  }

  #put(key: string, token: Token): void {
    const issuedAt = token.issuedAt ?? this.#now();
    // Rounded up to whole ms (a Smi): the refresh is due at most a millisecond earlier than the policy says.
    const lead = Math.max(0, Math.ceil(token.expiresAt - this.#policy(issuedAt, token.expiresAt)));
    this.#entries.set(key, { token, lead, retryAt: NO_BACKOFF, referenced: false });
  }

  /** The refresh's token; if it fails, the token it was replacing while that is still valid. */
  #orStillValid(refresh: Promise<Token>, valid: Token): Promise<Token> {
    return refresh.catch((error: unknown) => {
      if (this.#now() < valid.expiresAt) return valid;
      throw error;
    });
  }

  /** The cached token of `key`, while it may be served instead of fetching past a failing store. */
  #keepServing(key: string): () => Token | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return () => undefined;
    const until = keepServingUntil(entry.token.expiresAt - entry.lead, entry.token.expiresAt);
    return () => (this.#now() < until ? entry.token : undefined);
  }

  #refreshInBackground(key: string, fetcher: TokenFetcher, entry: Entry, now: number): Promise<Token> {
    // No second background attempt before the backoff; a success replaces the entry anyway. With a
    // shared store, not past the point where a refresh put off by a failing store must fetch.
    const { expiresAt } = entry.token;
    const late = this.#store === undefined ? Number.POSITIVE_INFINITY : keepServingUntil(expiresAt - entry.lead, expiresAt);
    const retryAt = now < late ? Math.min(now + this.#failureBackoffMs, late) : now + this.#failureBackoffMs;
    // Stored relative to expiresAt, in whole ms (see Entry).
    entry.retryAt = Math.ceil(retryAt - expiresAt);
    const load = this.#load(key, fetcher, 'refresh-ahead', undefined, false);
    // Already reported as token.failed; the valid token is served until it expires.
    const settled = load.catch(() => undefined);
    this.#waitUntil?.(settled);
    return load;
  }

  #emit(event: FintokenEvent): void {
    const listener = this.#onEvent;
    if (listener === undefined) return;
    if (this.#provider !== undefined) event.provider = this.#provider;
    try {
      listener(event);
    } catch {
      // A faulty listener must not break token delivery.
    }
  }
}

/** Cloudflare Workers (workerd): `navigator.userAgent` is exactly this there, and nowhere else. */
function isWorkerd(): boolean {
  return (globalThis as { navigator?: { userAgent?: unknown } }).navigator?.userAgent === 'Cloudflare-Workers';
}
