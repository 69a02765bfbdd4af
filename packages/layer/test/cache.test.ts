import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startLayer, type LayerHarness } from './sandbox.js';

let h: LayerHarness;
let now: number;
const clock = () => now;
beforeEach(async () => {
  h = await startLayer();
  now = Date.now();
});
afterEach(() => h.sandbox.close());

const requests = () => h.sandbox.stats.count('layer.token');

describe('cache', () => {
  it('answers a second getToken from the cache', async () => {
    const client = h.client({ now: clock });
    const first = await client.getToken();
    expect(requests()).toBe(1);
    expect(await client.getToken()).toBe(first);
    expect(requests()).toBe(1);
  });

  it('answers a second business token from the cache without touching the client token', async () => {
    const client = h.client({ now: clock });
    const first = await client.getBusinessToken(h.active[0]!);
    const counts = h.sandbox.stats.snapshot();
    expect(await client.getBusinessToken(h.active[0]!)).toBe(first);
    expect(h.sandbox.stats.snapshot()).toEqual(counts);
  });

  it('serves the valid token inside the refresh window and refreshes once in the background', async () => {
    const client = h.client({ now: clock });
    const old = await client.getToken();
    // Default rule: refresh when less than max(60 s, 10 %) of the life is left; 3,300 s into a 3,600 s token.
    now += 3300_000;
    expect(now).toBeLessThan(old.expiresAt);
    const served = await Promise.all([client.getToken(), client.getToken(), client.getToken()]);
    for (const token of served) expect(token).toBe(old);
    // The sandbox counts the refresh when it arrives; the new token is cached once the answer is
    // parsed, so wait for what callers see rather than for the request count.
    const fresh = await vi.waitFor(async () => {
      const token = await client.getToken();
      expect(token.accessToken).not.toBe(old.accessToken);
      return token;
    }, { timeout: 5000 });
    expect(fresh.expiresAt).toBeGreaterThan(old.expiresAt);
    expect(requests()).toBe(2);
  });

  it('refreshes business tokens ahead too, with a short session', async () => {
    const client = h.client({ now: clock });
    const old = await client.getBusinessToken(h.active[0]!, { sessionDuration: 120 });
    // 120 s token (110 s after the safety margin): it serves 60 s before the refresh, a 50 s lead.
    now += 70_000;
    expect(await client.getBusinessToken(h.active[0]!, { sessionDuration: 120 })).toBe(old);
    await vi.waitFor(() => expect(h.sandbox.stats.count('layer.businessToken')).toBe(2), { timeout: 5000 });
  });

  it('never returns an expired token: past expiry the caller waits for a new one', async () => {
    const client = h.client({ now: clock });
    const old = await client.getToken();
    now = old.expiresAt + 1;
    const fresh = await client.getToken();
    expect(fresh.accessToken).not.toBe(old.accessToken);
    expect(fresh.expiresAt).toBeGreaterThan(now);
    expect(requests()).toBe(2);
  });

  it('makes exactly one token request for 10,000 concurrent getToken() calls', async () => {
    const client = h.client({ now: clock });
    const tokens = await Promise.all(Array.from({ length: 10_000 }, () => client.getToken()));
    expect(requests()).toBe(1);
    expect(new Set(tokens.map((t) => t.accessToken)).size).toBe(1);
  });

  it('makes one client token request and one per business for concurrent business tokens', async () => {
    const client = h.client({ now: clock });
    const ids = h.active.slice(0, 3);
    const tokens = await Promise.all(Array.from({ length: 300 }, (_, i) => client.getBusinessToken(ids[i % 3]!)));
    expect(requests()).toBe(1);
    expect(h.sandbox.stats.count('layer.businessToken')).toBe(3);
    tokens.forEach((token, i) => expect(token.businessId).toBe(ids[i % 3]));
  });

  it('forgets a token on invalidate()', async () => {
    const client = h.client({ now: clock });
    const first = await client.getToken();
    await client.invalidate();
    expect((await client.getToken()).accessToken).not.toBe(first.accessToken);
    expect(requests()).toBe(2);
  });
});
