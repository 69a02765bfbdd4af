import { sleep } from './abort.js';
import { NetworkError } from './errors.js';
import { WAIT_SLICE_MS } from './lockTiming.js';
import type { FintokenEvent, Lock, Token, TokenStore } from './types.js';

export interface SharedLoadOptions {
  store: TokenStore;
  key: string;
  reason: string;
  /** A token the result must differ from (the one a forced refresh replaces). */
  avoid: string | undefined;
  fetch: () => Promise<Token>;
  /** Whether a stored token is good enough to use instead of fetching. */
  isFresh: (token: Token) => boolean;
  /** The longest the lock may live (the store may free it sooner when the holder dies). */
  lockTtlMs: number;
  /** At least `lockTtlMs` (see `resolveLockTiming`), so a waiter never gives up on a live lock. */
  waitTimeoutMs: number;
  /**
   * Refresh-ahead only: the still-valid token being replaced, while it may go on being served.
   * While it may, a store failure ends the load with that token (`deferred`, no provider request)
   * instead of fetching: every instance would otherwise fetch on each refresh while the store is
   * down or failing over. Once it may not (see `keepServingUntil`), the load fetches as before.
   */
  keepServing?: () => Token | undefined;
  emit: (event: FintokenEvent) => void;
  /** Keeps the lock release alive past the load (the cache's `waitUntil`). */
  keepAlive?: (promise: Promise<unknown>) => void;
}

/**
 * How long an instance keeps serving its still-valid token while the shared store fails: through
 * the first half of the refresh-ahead window. The second half is left for the fetch of its own,
 * so the token never runs out while the store is down, and that fetch happens at most once per
 * token lifetime (the new token's window starts over).
 */
export function keepServingUntil(refreshAt: number, expiresAt: number): number {
  return refreshAt + (expiresAt - refreshAt) / 2;
}

/** Why a refresh was put off (the `token.failed` event's error; the token being replaced is served). */
export function deferredRefreshError(): NetworkError {
  return new NetworkError('The token store is unavailable: the cached token, still valid, is served and the refresh is retried later, without a provider request meanwhile');
}

export interface SharedLoadResult {
  token: Token;
  /** This instance asked the provider. */
  fetched: boolean;
  /** The store failed and `token` is the one being replaced (see `keepServing`). */
  deferred?: true;
}

/**
 * One refresh per fleet: read the shared store; if it holds nothing usable, take the
 * distributed lock and fetch, or wait for the holder's result. Every store failure degrades to
 * fetching directly (with a `store.error` event) so a store outage never blocks delivery, except
 * a refresh ahead of expiry while the token may still be served (`keepServing`): that one waits
 * for the store instead, so an outage costs each instance at most one request per token lifetime.
 */
export async function sharedLoad(o: SharedLoadOptions): Promise<SharedLoadResult> {
  const usable = (t: Token | undefined, avoid: string | undefined): boolean => t !== undefined && t.accessToken !== avoid && o.isFresh(t);

  const first = await tryGet(o);
  if (first.failed && o.keepServing !== undefined) {
    const kept = o.keepServing();
    if (kept !== undefined) return { token: kept, fetched: false, deferred: true };
    // Past the point where the token may be kept and the store still fails: a lock attempt would
    // only spend another bounded store call of the time left before the token expires.
    return fetchAndStore(o);
  }
  const stored = first.token;
  if (stored !== undefined && usable(stored, o.avoid)) return { token: stored, fetched: false };
  const storedToken: string | undefined = stored?.accessToken;

  const avoid = o.avoid ?? storedToken;
  const deadline = Date.now() + o.waitTimeoutMs;
  let announced = false;
  while (o.store.lock !== undefined) {
    let lock: Lock | undefined;
    try {
      lock = await o.store.lock(o.key, o.lockTtlMs);
    } catch (error) {
      storeError(o, 'lock', error);
      const keep = o.keepServing?.();
      if (keep !== undefined) return { token: keep, fetched: false, deferred: true };
      break;
    }
    if (lock !== undefined) {
      try {
        // Double-check: the previous holder may have stored a token since we looked.
        const again = await safeGet(o);
        if (again !== undefined && usable(again, avoid)) return { token: again, fetched: false };
        const token = await o.fetch();
        await safeSet(o, token);
        return { token, fetched: true };
      } finally {
        const released = lock.release().catch((error: unknown) => storeError(o, 'release', error));
        o.keepAlive?.(released);
      }
    }
    // Another instance holds the lock: wait for its token, in slices so that a crashed holder's
    // lock is retaken by one waiter (SET NX) once it lapses; the others go on waiting for that
    // waiter's token.
    if (!announced) o.emit({ type: 'store.wait', key: o.key, reason: o.reason });
    announced = true;
    const remaining = deadline - Date.now();
    if (remaining <= 0) break;
    const waited = await waitForToken(o, avoid, Math.min(remaining, WAIT_SLICE_MS));
    if (waited !== undefined && usable(waited, avoid)) return { token: waited, fetched: false };
    // An early answer that is no use (e.g. clock skew between instances): pause before asking again.
    if (waited !== undefined) await sleep(Math.min(50, Math.max(0, deadline - Date.now())));
  }
  // No lock support, the store failed, or the holder is late: fetch ourselves rather than fail.
  return fetchAndStore(o);
}

async function fetchAndStore(o: SharedLoadOptions): Promise<SharedLoadResult> {
  const token = await o.fetch();
  await safeSet(o, token);
  return { token, fetched: true };
}

async function waitForToken(o: SharedLoadOptions, avoid: string | undefined, timeoutMs: number): Promise<Token | undefined> {
  const { store } = o;
  if (store.waitFor !== undefined) {
    try {
      return await store.waitFor(o.key, { ...(avoid === undefined ? {} : { previous: avoid }), timeoutMs });
    } catch (error) {
      storeError(o, 'wait', error);
      return undefined;
    }
  }
  // Poll with backoff, bounded by waitTimeoutMs.
  const deadline = Date.now() + timeoutMs;
  let delay = 20;
  while (Date.now() < deadline) {
    await sleep(Math.min(delay, Math.max(0, deadline - Date.now())));
    const t = await safeGet(o);
    if (t !== undefined && t.accessToken !== avoid && o.isFresh(t)) return t;
    delay = Math.min(delay * 2, 500);
  }
  return undefined;
}

async function safeGet(o: SharedLoadOptions): Promise<Token | undefined> {
  return (await tryGet(o)).token;
}

async function tryGet(o: SharedLoadOptions): Promise<{ token: Token | undefined; failed: boolean }> {
  try {
    return { token: await o.store.get(o.key), failed: false };
  } catch (error) {
    storeError(o, 'get', error);
    return { token: undefined, failed: true };
  }
}

async function safeSet(o: SharedLoadOptions, token: Token): Promise<void> {
  try {
    await o.store.set(o.key, token);
  } catch (error) {
    storeError(o, 'set', error);
  }
}

/** A `store.error` event naming the operation (`reason`, as the Redis store's own release event does). */
function storeError(o: SharedLoadOptions, operation: 'lock' | 'release' | 'wait' | 'get' | 'set', error: unknown): void {
  // Only the error's class and code: a store error message could quote a stored value.
  const name = error instanceof Error ? error.name : 'Error';
  const code = (error as { code?: unknown } | null)?.code;
  const message = `Token store ${operation} failed (${name}${typeof code === 'string' ? ` ${code}` : ''}); falling back to the provider`;
  o.emit({ type: 'store.error', key: o.key, reason: operation, message });
}
