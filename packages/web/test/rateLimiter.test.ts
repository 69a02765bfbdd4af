import { describe, expect, it } from 'vitest';
import { createRateLimiter } from '../src/rateLimit.js';
import { createClock } from './support/http.js';

describe('rate limiter memory', () => {
  it('remembers at most maxKeys buckets, forgetting the oldest first', () => {
    const clock = createClock(0);
    const hit = createRateLimiter({ windowMs: 1000, max: 1, maxKeys: 2, now: clock.now });
    expect(hit('a').allowed).toBe(true);
    expect(hit('a').allowed).toBe(false);
    expect(hit('b').allowed).toBe(true);
    expect(hit('b').allowed).toBe(false);
    expect(hit('c').allowed).toBe(true); // evicts a, the oldest window
    expect(hit('b').allowed).toBe(false); // b is still remembered
    expect(hit('a').allowed).toBe(true); // a starts afresh (and evicts b)
    expect(hit('b').allowed).toBe(true);
  });

  it('stays bounded under 100,000 distinct keys', () => {
    const clock = createClock(0);
    const hit = createRateLimiter({ windowMs: 1000, max: 1, maxKeys: 100, now: clock.now });
    for (let i = 0; i < 100_000; i++) hit(`user-${i}`);
    // The 100 most recent keys are still limited; the first ones were forgotten.
    expect(hit('user-99999').allowed).toBe(false);
    expect(hit('user-99901').allowed).toBe(false);
    expect(hit('user-0').allowed).toBe(true);
  });

  it('restarts a window after windowMs and reports the seconds left', () => {
    const clock = createClock(0);
    const hit = createRateLimiter({ windowMs: 30_000, max: 1, maxKeys: 10, now: clock.now });
    hit('a');
    clock.advance(10_500);
    expect(hit('a')).toEqual({ allowed: false, retryAfterSeconds: 20 });
    clock.advance(19_500);
    expect(hit('a')).toEqual({ allowed: true });
  });
});
