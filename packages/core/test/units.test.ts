import { describe, expect, it } from 'vitest';
import { buildCacheKey, createMemoryStore, createRedactor, createToken, ConfigurationError, NetworkError, ProviderError, AuthenticationError, isRetryable, remainingSeconds } from '../src/index.js';
import { computeExpiry } from '../src/provider.js';
import { createRefreshPolicy } from '../src/refreshAhead.js';
import { parseRetryAfter } from '../src/retryAfter.js';
import { retry } from '../src/retry.js';

describe('buildCacheKey', () => {
  it('normalises scope and resource order, duplicates and whitespace', () => {
    const a = buildCacheKey({ provider: 'asset', environment: 'sandbox', clientId: 'c', scope: ' b  a a ', resource: ['https://y', 'https://x'] });
    const b = buildCacheKey({ provider: 'asset', environment: 'sandbox', clientId: 'c', scope: ['a', 'b'], resource: ['https://x', 'https://y', 'https://x'] });
    expect(a).toBe(b);
  });

  it('cannot be forged with delimiters inside a value', () => {
    const a = buildCacheKey({ provider: 'p', clientId: 'c', businessId: 'x:s=admin' });
    const b = buildCacheKey({ provider: 'p', clientId: 'c', businessId: 'x', scope: 'admin' });
    expect(a).not.toBe(b);
  });

  it('separates environments and clients', () => {
    expect(buildCacheKey({ provider: 'p', environment: 'sandbox', clientId: 'c' })).not.toBe(buildCacheKey({ provider: 'p', environment: 'production', clientId: 'c' }));
  });
});

describe('createRefreshPolicy', () => {
  const h = 3600_000;
  it('defaults to max(60 s, 10 %) capped at half the lifetime, leaving a token min(60 s, 80 %) of service', () => {
    const p = createRefreshPolicy();
    expect(p(0, h)).toBe(h - 360_000);
    expect(p(0, 300_000)).toBe(240_000);
    // Ordinary tokens down to 2 minutes keep the 60 s lead.
    expect(p(0, 120_000)).toBe(60_000);
    // Shorter: served 60 s first, then (under 75 s) 80 % of the lifetime.
    expect(p(0, 100_000)).toBe(60_000);
    expect(p(0, 60_000)).toBe(48_000);
    expect(p(0, 2_000)).toBe(1_600);
    // A floor of 0 leaves only the ratio and its cap.
    expect(createRefreshPolicy({ minMs: 0, ratio: 0.9 })(0, 100_000)).toBe(50_000);
    // An explicit cap is the cap as given (the browser's tab-shared cache sets a third).
    expect(createRefreshPolicy({ minMs: 30_000, ratio: 0, maxRatio: 1 / 3 })(0, 40_000)).toBeCloseTo(40_000 - 40_000 / 3);
  });
  it('for a token handed on (fresh), keeps the window at half the lifetime of short tokens', () => {
    const p = createRefreshPolicy();
    expect(p(0, h, true)).toBe(h - 360_000);
    expect(p(0, 60_000, true)).toBe(30_000);
    expect(p(0, 2_000, true)).toBe(1_000);
    expect(createRefreshPolicy(5_000)(0, h, true)).toBe(h - 5_000);
    expect(createRefreshPolicy(false)(0, h, true)).toBe(h);
  });
  it('accepts a fixed lead and false', () => {
    expect(createRefreshPolicy(5_000)(0, h)).toBe(h - 5_000);
    expect(createRefreshPolicy(false)(0, h)).toBe(h);
  });
  it('refuses nonsense', () => {
    expect(() => createRefreshPolicy(-1)).toThrow(ConfigurationError);
    expect(() => createRefreshPolicy({ ratio: 2 })).toThrow(ConfigurationError);
  });
});

describe('computeExpiry', () => {
  it('subtracts a safety margin of at most 10 % of the lifetime', () => {
    expect(computeExpiry({ receivedAt: 0, expiresIn: 3600 }).expiresAt).toBe(3590_000);
    expect(computeExpiry({ receivedAt: 0, expiresIn: 2 }).expiresAt).toBe(1800);
  });
  it('falls back to a default lifetime when nothing says', () => {
    expect(computeExpiry({ receivedAt: 0 })).toMatchObject({ expiresAt: 300_000 - 10_000, adjustment: 'no-expires-in' });
  });
  it('caps absurd lifetimes', () => {
    expect(computeExpiry({ receivedAt: 0, expiresIn: 1e15, safetyMarginMs: 0 }).expiresAt).toBe(31 * 24 * 3600 * 1000);
  });
  it('ignores a JWT exp in the past when no Date header can tell skew from death', () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ exp: 10 })).toString('base64url');
    const jwt = `${header}.${payload}.`;
    expect(computeExpiry({ receivedAt: 1_000_000_000_000, expiresIn: 60, accessToken: jwt, safetyMarginMs: 0 }).expiresAt).toBe(1_000_000_060_000);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP-dates', () => {
    expect(parseRetryAfter('7')).toBe(7000);
    expect(parseRetryAfter(new Date(Date.UTC(2026, 0, 1, 0, 0, 10)).toUTCString(), new Date(Date.UTC(2026, 0, 1)).toUTCString())).toBe(10_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
});

describe('createRedactor', () => {
  it('scrubs known secrets, Bearer and Basic credentials and JWTs', () => {
    const r = createRedactor(['sk_live_123456']);
    r.add('dynamic-token-abcdef');
    const out = r('sk_live_123456 Bearer abcdefghijkl Basic Y2xpZW50OnNlY3JldA== eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig dynamic-token-abcdef');
    expect(out).not.toMatch(/sk_live|abcdefghijkl|Y2xpZW50|eyJ|dynamic-token/);
  });
});

describe('tokens', () => {
  it('redact the access token in JSON and inspect but keep it readable', async () => {
    const { inspect } = await import('node:util');
    const t = createToken({ accessToken: 'at-secret-value', tokenType: 'Bearer', expiresAt: 60_000, businessId: 'b1' });
    expect(t.accessToken).toBe('at-secret-value');
    expect(JSON.stringify(t)).not.toContain('at-secret-value');
    expect(inspect(t)).not.toContain('at-secret-value');
    expect(JSON.parse(JSON.stringify(t))).toMatchObject({ businessId: 'b1', expiresAt: 60_000 });
    expect(remainingSeconds(t, 1_500)).toBe(58);
    expect(remainingSeconds(t, 90_000)).toBe(0);
  });
});

describe('createMemoryStore', () => {
  it('stores, expires and deletes', async () => {
    let now = 0;
    const store = createMemoryStore({ now: () => now, maxEntries: 2 });
    await store.set('a', createToken({ accessToken: 'x', tokenType: 'Bearer', expiresAt: 100 }));
    expect((await store.get('a'))?.accessToken).toBe('x');
    now = 100;
    expect(await store.get('a')).toBeUndefined();
    await store.set('b', createToken({ accessToken: 'y', tokenType: 'Bearer', expiresAt: 1000 }));
    await store.delete('b');
    expect(await store.get('b')).toBeUndefined();
  });
});

describe('retry', () => {
  it('classifies errors', () => {
    expect(isRetryable(new NetworkError('x'))).toBe(true);
    expect(isRetryable(new ProviderError('x', { status: 503 }))).toBe(true);
    expect(isRetryable(new ProviderError('x', { status: 408 }))).toBe(true);
    expect(isRetryable(new ProviderError('x', { status: 422 }))).toBe(false);
    expect(isRetryable(new AuthenticationError('x', { status: 401 }))).toBe(false);
    expect(isRetryable(new Error('x'))).toBe(false);
  });

  it('spaces attempts with full jitter within the exponential cap', async () => {
    const delays: number[] = [];
    let calls = 0;
    await expect(
      retry(
        async () => {
          calls += 1;
          throw new NetworkError('down');
        },
        { attempts: 4, baseDelayMs: 10, maxDelayMs: 25 },
        { random: () => 0.999, onRetry: ({ delayMs }) => delays.push(delayMs) },
      ),
    ).rejects.toBeInstanceOf(NetworkError);
    expect(calls).toBe(4);
    expect(delays).toEqual([10, 20, 25]);
  });

  it('is cancelled by an AbortSignal while waiting', async () => {
    const controller = new AbortController();
    const p = retry(
      async () => {
        throw new NetworkError('down');
      },
      { attempts: 5, baseDelayMs: 10_000, maxDelayMs: 10_000 },
      { signal: controller.signal, random: () => 0.5 },
    );
    setTimeout(() => controller.abort(), 20);
    await expect(p).rejects.toMatchObject({ code: 'ERR_ABORTED' });
  });
});

describe('parseToken / tokenFields (what shared stores write and read back)', () => {
  const good = { accessToken: 'tok-secret-1', tokenType: 'Bearer', expiresAt: 1_800_000_000_000, issuedAt: 1_799_999_000_000, scope: ['a', 'b'], businessId: 'biz' };

  it('round-trips every field, the access token included, and reads back a redacting Token', async () => {
    const { parseToken, tokenFields } = await import('../src/cache.js');
    const token = parseToken(JSON.parse(JSON.stringify(tokenFields(parseToken(good)!))));
    expect({ ...token }).toEqual(good);
    expect(JSON.stringify(token)).not.toContain('tok-secret-1');
    expect(parseToken({ ...good, extra: 'dropped' })).not.toHaveProperty('extra');
  });

  it.each([
    null,
    'tok',
    [],
    { ...good, accessToken: '' },
    { ...good, accessToken: 7 },
    { ...good, tokenType: undefined },
    { ...good, expiresAt: '1800000000000' },
    { ...good, expiresAt: Number.NaN },
    { ...good, issuedAt: Number.POSITIVE_INFINITY },
    { ...good, scope: 'a b' },
    { ...good, scope: ['a', 1] },
    { ...good, businessId: 42 },
  ])('refuses %o (undefined, never a throw)', async (value) => {
    const { parseToken } = await import('../src/cache.js');
    expect(parseToken(value)).toBeUndefined();
  });
});
