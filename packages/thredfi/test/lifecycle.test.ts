import { describe, expect, it, vi } from 'vitest';
import { useThredfi } from './harness.js';

const t = useThredfi();
const hour = 3600_000;

describe('partner and business tokens over time', () => {
  it('reuses both tokens until they near expiry', async () => {
    const client = t.connect();
    const id = t.owned(0);
    const business = await client.getBusinessToken(id);
    const partner = await client.getToken();
    t.clock.ms += 30 * 60_000;
    await expect(client.getBusinessToken(id)).resolves.toBe(business);
    await expect(client.getToken()).resolves.toBe(partner);
    expect(t.seen('thredfi.token')).toBe(1);
    expect(t.seen('thredfi.businessToken')).toBe(1);
  });

  it('hands out the old business token inside the refresh window while one background request replaces it', async () => {
    const client = t.connect();
    const id = t.owned(1);
    const before = await client.getBusinessToken(id);
    // 3,600 s token: the refresh window opens 360 s before its (margin-trimmed) expiry.
    t.clock.ms = before.expiresAt - 100_000;
    const during = await Promise.all(Array.from({ length: 50 }, () => client.getBusinessToken(id)));
    expect(new Set(during)).toEqual(new Set([before]));
    await vi.waitFor(() => expect(t.seen('thredfi.businessToken')).toBe(2), { timeout: 5000 });
    const after = await client.getBusinessToken(id);
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(after.businessId).toBe(id);
    // The partner token (24 h) was still fresh: the refresh reused it.
    expect(t.seen('thredfi.token')).toBe(1);
  });

  it('waits for a new partner token once the old one has expired', async () => {
    const client = t.connect();
    const expired = await client.getToken();
    t.clock.ms += 25 * hour;
    const renewed = await client.getToken();
    expect(renewed.accessToken).not.toBe(expired.accessToken);
    expect(renewed.expiresAt).toBeGreaterThan(t.clock.ms);
    expect(t.seen('thredfi.token')).toBe(2);
  });

  it('sends one token request for ten thousand simultaneous getToken() calls', async () => {
    const client = t.connect();
    const callers = 10_000;
    const results = await Promise.all(Array.from({ length: callers }, () => client.getToken()));
    expect(t.seen('thredfi.token')).toBe(1);
    expect(results.filter((r) => r === results[0])).toHaveLength(callers);
  });

  it('mints each business once for many simultaneous callers, on one partner token', async () => {
    const client = t.connect();
    const ids = [t.owned(0), t.owned(1), t.owned(2)];
    await Promise.all(ids.flatMap((id) => Array.from({ length: 200 }, () => client.getBusinessToken(id))));
    expect({ partner: t.seen('thredfi.token'), business: t.seen('thredfi.businessToken') }).toEqual({ partner: 1, business: 3 });
  });
});

describe('rejected tokens', () => {
  it('fetch: refreshes the business token once after a 401 and retries the call once', async () => {
    const client = t.connect();
    const id = t.owned(0);
    const stale = await client.getBusinessToken(id);
    // Move the sandbox two days ahead: every token issued so far is expired over there.
    t.sandbox.clock.setSkewMs(48 * hour);
    const res = await client.fetch(`/v1/platform/businesses/${id}/customers/`, { token: { businessId: id } });
    expect(res.status).toBe(200);
    await res.body?.cancel();
    expect(t.seen('thredfi.customers')).toBe(2);
    // The stale partner token was refreshed too (the business endpoint answered 401 to it).
    expect(t.seen('thredfi.token')).toBe(2);
    expect(t.seen('thredfi.businessToken')).toBe(3);
    expect((await client.getBusinessToken(id)).accessToken).not.toBe(stale.accessToken);
  });

  it('business token: a partner token Thredfi no longer accepts is refreshed exactly once', async () => {
    const client = t.connect();
    await client.getToken();
    t.sandbox.faults.inject('thredfi.businessToken', { status: 401 });
    const token = await client.getBusinessToken(t.owned(2));
    expect(token.businessId).toBe(t.owned(2));
    expect(t.seen('thredfi.token')).toBe(2);
    expect(t.seen('thredfi.businessToken')).toBe(2);
  });

  it('business token: stops after one refresh when 401 persists', async () => {
    const client = t.connect();
    t.sandbox.faults.inject('thredfi.businessToken', { status: 401, times: 3 });
    await expect(client.getBusinessToken(t.owned(2))).rejects.toMatchObject({ code: 'ERR_AUTHENTICATION', status: 401 });
    expect(t.seen('thredfi.businessToken')).toBe(2);
  });
});
