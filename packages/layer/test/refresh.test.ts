import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startLayer, type LayerHarness } from './sandbox.js';

let h: LayerHarness;
beforeEach(async () => {
  h = await startLayer();
});
afterEach(() => h.sandbox.close());

describe('401 handling', () => {
  it('fetch: a token the API rejects is refreshed once and the request retried once', async () => {
    const client = h.client();
    const old = await client.getToken();
    // The sandbox's clock jumps two hours: the cached token is now expired there, not here.
    h.sandbox.clock.setSkewMs(2 * 3600_000);
    const response = await client.fetch('/whoami');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ data: { type: 'whoami' } });
    expect(h.sandbox.stats.count('layer.whoami')).toBe(2);
    expect(h.sandbox.stats.count('layer.token')).toBe(2);
    expect((await client.getToken()).accessToken).not.toBe(old.accessToken);
  });

  it('fetch: a storm of 401s makes one token request', async () => {
    const client = h.client();
    await client.getToken();
    h.sandbox.clock.setSkewMs(2 * 3600_000);
    const responses = await Promise.all(Array.from({ length: 20 }, () => client.fetch('/whoami')));
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    await Promise.all(responses.map((r) => r.body?.cancel()));
    expect(h.sandbox.stats.count('layer.token')).toBe(2);
  });

  it('fetch: gives up after one retry when the API keeps answering 401', async () => {
    const client = h.client();
    h.sandbox.faults.inject('layer.whoami', { status: 401, times: 5 });
    const response = await client.fetch('/whoami');
    expect(response.status).toBe(401);
    await response.body?.cancel();
    expect(h.sandbox.stats.count('layer.whoami')).toBe(2);
    expect(h.sandbox.stats.count('layer.token')).toBe(2);
  });

  it('business token: a 401 for the client token refreshes it once and mints again', async () => {
    const client = h.client();
    await client.getToken();
    h.sandbox.faults.inject('layer.businessToken', { status: 401 });
    const token = await client.getBusinessToken(h.active[0]!);
    expect(token.businessId).toBe(h.active[0]);
    expect(h.sandbox.stats.count('layer.token')).toBe(2);
    expect(h.sandbox.stats.count('layer.businessToken')).toBe(2);
  });

  it('whoami raises AuthenticationError with the ApiError type when 401 persists', async () => {
    const client = h.client();
    h.sandbox.faults.inject('layer.whoami', { status: 401, times: 2 });
    await expect(client.whoami()).rejects.toMatchObject({ code: 'ERR_AUTHENTICATION', status: 401, type: 'AuthFailure' });
  });
});
