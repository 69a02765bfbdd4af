import { sleep } from './abort.js';
import { isRetryable, ProviderError } from './errors.js';

export interface RetryOptions {
  /** Total attempts, the first included. Default 4. */
  attempts?: number;
  /** Base of the exponential backoff. Default 200 ms. */
  baseDelayMs?: number;
  /** Cap of one backoff delay. Default 5,000 ms. */
  maxDelayMs?: number;
  /** Total time for all attempts and waits. Default 30,000 ms. */
  deadlineMs?: number;
  /** Longest `Retry-After` honoured; a longer one ends the retries. Default 30,000 ms. */
  maxRetryAfterMs?: number;
}

export interface RetryHooks {
  signal?: AbortSignal;
  /** Source of jitter in [0, 1); injectable for tests. */
  random?: () => number;
  onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void;
}

export const defaultRetry: Required<RetryOptions> = {
  attempts: 4,
  baseDelayMs: 200,
  maxDelayMs: 5_000,
  deadlineMs: 30_000,
  maxRetryAfterMs: 30_000,
};

/**
 * Run `fn` until it succeeds, with exponential backoff and full jitter (AWS architecture blog,
 * "Exponential Backoff And Jitter") on network errors, timeouts, 408, 429 and 5xx; honours
 * `Retry-After`; never retries 400/401/403/404/422. `fn` gets the time left before the deadline
 * so each attempt can bound its own timeout.
 */
export async function retry<T>(fn: (attempt: number, remainingMs: number) => Promise<T>, options: RetryOptions = {}, hooks: RetryHooks = {}): Promise<T> {
  const o = { ...defaultRetry, ...options };
  const random = hooks.random ?? Math.random;
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    const remaining = o.deadlineMs - (Date.now() - started);
    try {
      return await fn(attempt, remaining);
    } catch (error) {
      if (attempt >= o.attempts || !isRetryable(error) || hooks.signal?.aborted) throw error;
      const retryAfter = error instanceof ProviderError ? error.retryAfterMs : undefined;
      if (retryAfter !== undefined && retryAfter > o.maxRetryAfterMs) throw error;
      const backoff = random() * Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** (attempt - 1));
      const delayMs = Math.round(retryAfter ?? backoff);
      // Not enough time left for the wait plus a useful attempt: give up now with the real error.
      if (Date.now() - started + delayMs >= o.deadlineMs) throw error;
      hooks.onRetry?.({ attempt, delayMs, error });
      await sleep(delayMs, hooks.signal);
    }
  }
}
