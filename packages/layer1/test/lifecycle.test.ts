import { ConfigurationError, type FintokenEvent } from '@fintoken/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLayer1Client } from '../src/index.js';
import { layer1Fixture, type Layer1Fixture } from './fixture.js';

let fx: Layer1Fixture | undefined;
afterEach(async () => {
  await fx?.sandbox.close();
  fx = undefined;
});

/** A sandbox realm and a client whose clock the test moves by hand. */
async function manualClock(tokenTtl?: number) {
  fx = await layer1Fixture(tokenTtl);
  const clock = { now: Date.now() };
  const refreshed: FintokenEvent[] = [];
  const client = fx.connect({ now: () => clock.now, onEvent: (e) => e.type === 'token.refreshed' && refreshed.push(e) });
  return { fx, clock, refreshed, client };
}

describe('Layer1 token lifecycle (sandbox, injected clock)', () => {
  it('a second getToken is a cache hit', async () => {
    const { fx, client } = await manualClock();
    const token = await client.getToken();
    await expect(client.getToken()).resolves.toBe(token);
    expect(fx.hits()).toBe(1);
  });

  it('a 5-minute token is refreshed 60 s ahead: before that nothing, inside it one background request', async () => {
    const { fx, clock, refreshed, client } = await manualClock();
    const first = await client.getToken();
    clock.now = first.expiresAt - 61_000;
    await client.getToken();
    expect(fx.hits()).toBe(1);

    clock.now = first.expiresAt - 59_000;
    const served = await Promise.all([client.getToken(), client.getToken(), client.getToken()]);
    expect(served.map((t) => t.accessToken)).toEqual([first.accessToken, first.accessToken, first.accessToken]);
    expect(refreshed).toHaveLength(0);
    await vi.waitFor(() => expect(refreshed).toHaveLength(1), { timeout: 5_000 });
    expect(fx.hits()).toBe(2);
    expect((await client.getToken()).accessToken).not.toBe(first.accessToken);
  });

  it('a 60 s token: too short for the 60 s lead, it serves 80 % of its lifetime first, so it is not refreshed on every call', async () => {
    const { fx, clock, client } = await manualClock(60);
    const first = await client.getToken();
    const lead = (first.expiresAt - (first.issuedAt ?? 0)) / 5; // 60 s less a 6 s margin, a fifth: 10.8 s
    expect(lead).toBeGreaterThan(10_000);
    clock.now = first.expiresAt - lead - 1_000;
    await client.getToken();
    expect(fx.hits()).toBe(1);
    clock.now = first.expiresAt - lead + 1_000;
    await client.getToken();
    await vi.waitFor(() => expect(fx?.hits()).toBe(2), { timeout: 5_000 });
  });

  it('after expiry the caller gets a new token, never the old one', async () => {
    const { fx, clock, client } = await manualClock();
    const first = await client.getToken();
    clock.now = first.expiresAt;
    const second = await client.getToken();
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(fx.hits()).toBe(2);
  });

  it('10,000 concurrent getToken() calls make one request at the realm', async () => {
    fx = await layer1Fixture();
    const client = fx.connect();
    const all = await Promise.all(Array.from({ length: 10_000 }, () => client.getToken()));
    expect(all.every((t) => t.accessToken === all[0]?.accessToken)).toBe(true);
    expect(fx.hits()).toBe(1);
  });

  it('fetch: the API says 401 once -> one new token -> the retry succeeds', async () => {
    fx = await layer1Fixture();
    const client = fx.connect();
    const stale = await client.getToken();
    fx.sandbox.faults.inject('layer1.api', { status: 401 });
    const response = await client.fetch('/api/v1/tenants');
    expect(response.status).toBe(200);
    await response.text();
    expect([fx.hits(), fx.sandbox.stats.count('layer1.api')]).toEqual([2, 2]);
    expect((await client.getToken()).accessToken).not.toBe(stale.accessToken);
  });

  it.each([600_000, -600_000])('a realm clock skewed by %i ms leaves the local lifetime at ~290 s', async (skew) => {
    fx = await layer1Fixture();
    fx.sandbox.clock.setSkewMs(skew);
    const token = await fx.connect().getToken();
    expect(Math.abs(token.expiresAt - (token.issuedAt ?? 0) - 290_000)).toBeLessThan(1_500);
  });
});

describe('Layer1 options', () => {
  const base = { clientId: 'backend', clientSecret: 'kc-secret-value-planted' };

  it('tokenUrl is required and must be https unless loopback', () => {
    expect(() => createLayer1Client(base as never)).toThrow(/tokenUrl: is required/);
    expect(() => createLayer1Client({ ...base, tokenUrl: 'http://auth.layer1.example/realms/x/protocol/openid-connect/token' })).toThrow(ConfigurationError);
    expect(() => createLayer1Client({ ...base, tokenUrl: 'https://auth.layer1.example/t', apiUrl: 'http://api.layer1.example' })).toThrow(/apiUrl: must use https/);
    expect(createLayer1Client({ ...base, tokenUrl: 'http://localhost:8080/realms/x/protocol/openid-connect/token' }).provider).toBe('layer1');
  });

  it('errors name the field, never the secret; unknown options are refused', () => {
    let message = '';
    try {
      createLayer1Client({ ...base, clientId: '', tokenUrl: 'nope', realm: 'x' } as never);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/clientId/);
    expect(message).toMatch(/tokenUrl: must be an absolute URL/);
    expect(message).toMatch(/realm/);
    expect(message).not.toContain(base.clientSecret);
  });
});
