import { ConfigurationError } from './errors.js';
import { defaultRetry, type RetryOptions } from './retry.js';

/**
 * Time for the holder to double-check the store before its fetch and to write the token after
 * it (two bounded store operations), on top of the fetch's own deadline.
 */
export const STORE_WRITE_ALLOWANCE_MS = 2_000;

/** A waiter re-checks the lock (and the store) at least this often. */
export const WAIT_SLICE_MS = 1_000;

/**
 * The longest one token fetch can take: each attempt is bounded by `timeoutMs` and by the time
 * left before the retry deadline, and a backoff that would cross the deadline ends the retries
 * (see `retry`), so the fetch is over by `min(deadlineMs, attempts × timeoutMs + backoffs)`.
 */
export function fetchDeadlineMs(timeoutMs: number, retry: RetryOptions | false): number {
  if (retry === false) return timeoutMs;
  const o = { ...defaultRetry, ...retry };
  let backoff = 0;
  for (let attempt = 1; attempt < o.attempts; attempt++) backoff += Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** (attempt - 1));
  return Math.min(o.deadlineMs, o.attempts * timeoutMs + backoff);
}

export interface LockTiming {
  /** The longest a refresh lock may live: at least the holder's whole fetch. */
  lockTtlMs: number;
  /** How long a waiter waits for the holder's token: at least as long as a lock can live. */
  waitTimeoutMs: number;
}

/**
 * The one-request-per-fleet invariant in numbers: `fetch deadline ≤ lockTtlMs ≤ waitTimeoutMs`.
 * A lock shorter than the fetch lapses under a slow but live holder, and a waiter that gives up
 * before a lock could lapse fetches on its own: either way a second request. Defaults are
 * derived so the invariant holds; explicit values that break it are refused.
 */
export function resolveLockTiming(input: { lockTtlMs?: number; waitTimeoutMs?: number; fetchDeadlineMs?: number }): LockTiming {
  const fetchMs = input.fetchDeadlineMs ?? defaultRetry.deadlineMs;
  const lockTtlMs = input.lockTtlMs ?? fetchMs + STORE_WRITE_ALLOWANCE_MS;
  const waitTimeoutMs = input.waitTimeoutMs ?? lockTtlMs + WAIT_SLICE_MS;
  const problems: string[] = [];
  if (lockTtlMs < fetchMs) {
    problems.push(`lockTtlMs (${lockTtlMs} ms) is shorter than one token fetch may take (${fetchMs} ms from timeoutMs and retry): a slow holder would lose its lock and a second instance would fetch`);
  }
  if (waitTimeoutMs < lockTtlMs) {
    problems.push(`waitTimeoutMs (${waitTimeoutMs} ms) is shorter than lockTtlMs (${lockTtlMs} ms): waiters would give up on a live lock and every instance would fetch`);
  }
  if (problems.length > 0) throw new ConfigurationError(`invalid shared-store timing: ${problems.join('; ')}. Leave both unset to derive them.`);
  return { lockTtlMs, waitTimeoutMs };
}
