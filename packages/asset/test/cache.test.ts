import type { FintokenEvent, Token } from '@fintoken/core';
import { describe, expect, it, vi } from 'vitest';
import { useAssetSandbox } from './sandbox.js';

const env = useAssetSandbox();

/** A client on a hand-driven clock, recording its events. */
function clockedClient() {
  let now = Date.now();
  const events: FintokenEvent[] = [];
  const client = env.client({ now: () => now, onEvent: (e) => events.push(e) });
  return { client, events, setNow: (ms: number) => (now = ms) };
}

describe('Asset caching (sandbox)', () => {
  it('serves a cached token without a request', async () => {
    const { client, events } = clockedClient();
    const first = await client.getToken({ scope: 'ledger:read' });
    const second = await client.getToken({ scope: 'ledger:read' });
    expect(second.accessToken).toBe(first.accessToken);
    expect(env.tokenRequests()).toBe(1);
    expect(events.filter((e) => e.type === 'cache.hit')).toHaveLength(1);
  });

  it('refreshes ahead: inside the window the old token comes back at once and one background request replaces it', async () => {
    const { client, events, setNow } = clockedClient();
    const old = await client.getToken();
    // Default lead: max(60 s, 10 % of ~3590 s) = 359 s before expiry.
    setNow(old.expiresAt - 370_000);
    expect((await client.getToken()).accessToken).toBe(old.accessToken);
    expect(env.tokenRequests()).toBe(1);

    env.sandbox.faults.inject('asset.token', { latencyMs: 200 });
    setNow(old.expiresAt - 300_000);
    const during = await Promise.all(Array.from({ length: 50 }, () => client.getToken()));
    expect(during.every((t) => t.accessToken === old.accessToken)).toBe(true);
    expect(events.some((e) => e.type === 'token.refreshed')).toBe(false);
    await vi.waitFor(() => expect(events.some((e) => e.type === 'token.refreshed')).toBe(true), { timeout: 5_000 });
    expect(env.tokenRequests()).toBe(2);
    const fresh = await client.getToken();
    expect(fresh.accessToken).not.toBe(old.accessToken);
    expect(fresh.expiresAt).toBeGreaterThan(old.expiresAt);
  });

  it('never returns an expired token: past expiry the caller waits for a new one', async () => {
    const { client, setNow } = clockedClient();
    const old = await client.getToken();
    setNow(old.expiresAt + 1);
    const next = await client.getToken();
    expect(next.accessToken).not.toBe(old.accessToken);
    expect(next.expiresAt).toBeGreaterThan(old.expiresAt);
    expect(env.tokenRequests()).toBe(2);
  });

  it('makes exactly one token request for 10,000 concurrent getToken() calls', async () => {
    const client = env.client();
    const tokens = await Promise.all(Array.from({ length: 10_000 }, () => client.getToken()));
    expect(new Set(tokens.map((t) => t.accessToken)).size).toBe(1);
    expect(env.tokenRequests()).toBe(1);
  });

  it('fetch: a 401 from the API -> one token refresh -> one retry', async () => {
    const client = env.client();
    const [business] = env.sandbox.businesses.asset.allowed as [string];
    const before = await client.getToken({ businessId: business });
    env.sandbox.faults.inject('asset.business', { status: 401 });
    const response = await client.fetch(`/v0/businesses/${business}`, { token: { businessId: business } });
    expect(response.status).toBe(200);
    await response.body?.cancel();
    expect(env.sandbox.stats.count('asset.business')).toBe(2);
    expect(env.tokenRequests()).toBe(2);
    expect((await client.getToken({ businessId: business })).accessToken).not.toBe(before.accessToken);
  });
});

describe('absolute expires_in against a skewed provider clock (sandbox)', () => {
  const lifetime = (t: Token) => t.expiresAt - (t.issuedAt ?? Number.NaN);

  it('a provider clock 10 minutes ahead or behind does not move the local expiry', async () => {
    const reference = lifetime(await env.client().getToken());
    for (const skew of [600_000, -600_000]) {
      env.sandbox.clock.setSkewMs(skew);
      const token = await env.client().getToken();
      // Whole-second Date header and iat: at most ~1 s apart, never the 600 s of skew.
      expect(Math.abs(lifetime(token) - reference)).toBeLessThan(1_500);
      expect(Math.abs(token.expiresAt - (Date.now() + 3_590_000))).toBeLessThan(5_000);
    }
  });
});
