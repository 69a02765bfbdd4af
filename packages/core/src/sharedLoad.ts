import { sleep } from './abort.js';
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
  emit: (event: FintokenEvent) => void;
}

/**
 * One refresh per fleet: read the shared store; if it holds nothing usable, take the
 * distributed lock and fetch, or wait for the holder's result. Every store failure degrades to
 * fetching directly (with a `store.error` event) so a store outage never blocks delivery.
 */
export async function sharedLoad(o: SharedLoadOptions): Promise<{ token: Token; fetched: boolean }> {
  const usable = (t: Token | undefined, avoid: string | undefined): boolean => t !== undefined && t.accessToken !== avoid && o.isFresh(t);

  const stored = await safeGet(o);
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
        lock.release().catch((error: unknown) => storeError(o, 'release', error));
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
  try {
    return await o.store.get(o.key);
  } catch (error) {
    storeError(o, 'get', error);
    return undefined;
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
