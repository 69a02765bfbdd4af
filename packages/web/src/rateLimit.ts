import type { Clock } from '@fintoken/core';

export interface RateLimiterOptions {
  windowMs: number;
  max: number;
  /** Most keys remembered at once; past it, the oldest bucket is forgotten. */
  maxKeys: number;
  now: Clock;
}

export type RateLimitResult = { allowed: true } | { allowed: false; retryAfterSeconds: number };

interface Bucket {
  count: number;
  resetAt: number;
}

/**
 * Fixed-window counter per key, in a Map capped at `maxKeys`: a Map iterates in insertion order
 * and a bucket is re-inserted when its window starts, so the first key is always the oldest
 * window and evicting it bounds memory however many distinct keys (users, IPs) arrive. An
 * evicted key simply starts a fresh window, which errs on the side of serving.
 */
export function createRateLimiter(options: RateLimiterOptions): (key: string) => RateLimitResult {
  const buckets = new Map<string, Bucket>();
  return (key) => {
    const now = options.now();
    let bucket = buckets.get(key);
    if (bucket === undefined || now >= bucket.resetAt) {
      buckets.delete(key);
      bucket = { count: 0, resetAt: now + options.windowMs };
      buckets.set(key, bucket);
      while (buckets.size > options.maxKeys) {
        const oldest = buckets.keys().next().value as string;
        buckets.delete(oldest);
      }
    }
    bucket.count += 1;
    if (bucket.count <= options.max) return { allowed: true };
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((bucket.resetAt - now) / 1000)) };
  };
}
