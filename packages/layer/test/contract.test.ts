import { AuthenticationError, InvalidRequestError, ProviderError } from '@fintoken/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLayerApiError } from '../src/index.js';
import { startLayer, type LayerHarness } from './sandbox.js';

// Every success and error shape of seeds/layer-authentication.md and layer-business-auth-token.openapi.md.
let h: LayerHarness;
beforeAll(async () => {
  h = await startLayer();
});
afterAll(() => h.sandbox.close());

describe('client token (POST authUrl, Basic id:secret)', () => {
  it('returns a Bearer token that lasts about the documented hour', async () => {
    const client = h.client();
    const before = Date.now();
    const token = await client.getToken();
    expect(token.tokenType).toBe('Bearer');
    expect(token.accessToken.split('.')).toHaveLength(3);
    expect(token.businessId).toBeUndefined();
    // 3600 s less core's safety margin (10 s).
    expect(token.expiresAt - before).toBeGreaterThan(3580_000);
    expect(token.expiresAt - before).toBeLessThanOrEqual(3600_000);
  });

  it('raises AuthenticationError for a wrong secret', async () => {
    const client = h.client({ clientSecret: 'not-the-secret' });
    const error = await client.getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ code: 'ERR_AUTHENTICATION', status: 401, providerCode: 'invalid_client', provider: 'layer' });
  });

  it('raises AuthenticationError for an unknown client id', async () => {
    const error = await h.client({ clientId: 'someone-else' }).getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
  });
});

describe('whoami', () => {
  it('answers the client name and id with the client token', async () => {
    const who = await h.client().whoami();
    expect(who).toEqual({ type: 'whoami', clientName: h.sandbox.credentials.layer.clientName, clientId: h.sandbox.credentials.layer.clientId });
  });
});

describe('business auth token (POST /v1/businesses/{id}/auth-token)', () => {
  it('mints a token for the business with the server default duration of 3600 s', async () => {
    const id = h.active[0]!;
    const before = Date.now();
    const token = await h.client().getToken({ businessId: id });
    expect(token.businessId).toBe(id);
    expect(token.expiresAt - before).toBeGreaterThan(3580_000);
    expect(token.expiresAt - before).toBeLessThanOrEqual(3600_000);
  });

  it('honours a custom session_duration', async () => {
    const before = Date.now();
    const token = await h.client().getBusinessToken(h.active[1]!, { sessionDuration: 600 });
    expect(token.businessId).toBe(h.active[1]);
    expect(token.expiresAt - before).toBeGreaterThan(530_000);
    expect(token.expiresAt - before).toBeLessThanOrEqual(600_000);
  });

  it('maps 404 for an unknown business to ResourceNotFound / SpecifiedIdNotFound', async () => {
    const error = await h.client().getBusinessToken('00000000-0000-4000-8000-000000000000').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).not.toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ status: 404, type: 'ResourceNotFound', errorEnum: 'SpecifiedIdNotFound', providerCode: 'SpecifiedIdNotFound' });
    expect(isLayerApiError(error)).toBe(true);
  });

  it('maps 404 for an archived business to ResourceArchived', async () => {
    const error = await h.client().getBusinessToken(h.sandbox.businesses.layer.archived).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 404, type: 'ResourceArchived', errorEnum: 'ResourceArchived' });
    expect(isLayerApiError(error)).toBe(true);
  });

  it('maps a 400 ApiError (bad session_duration) with its type and error_enum', async () => {
    h.sandbox.faults.inject('layer.businessToken', { status: 400 });
    const error = await h.client().getBusinessToken(h.active[2]!, { sessionDuration: 60 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ status: 400, type: 'BadRequest', errorEnum: 'SpecifiedBadRequest' });
  });

  it('refuses a session_duration that is not a positive integer before sending anything', async () => {
    const client = h.client();
    const start = h.sandbox.stats.count('layer.businessToken');
    for (const sessionDuration of [0, -5, 1.5, Number.NaN]) {
      await expect(client.getBusinessToken(h.active[0]!, { sessionDuration })).rejects.toBeInstanceOf(InvalidRequestError);
    }
    expect(h.sandbox.stats.count('layer.businessToken')).toBe(start);
  });

  it('refuses a business id that is not a UUID before sending anything, and never echoes it', async () => {
    const client = h.client();
    const tokens = h.sandbox.stats.count('layer.token');
    const start = h.sandbox.stats.count('layer.businessToken');
    for (const id of ['', 'abc', '../whoami', `${h.active[0]}/x`]) {
      const error = await client.getToken({ businessId: id }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidRequestError);
      if (id !== '') expect((error as Error).message).not.toContain(id);
    }
    expect(h.sandbox.stats.count('layer.businessToken')).toBe(start);
    expect(h.sandbox.stats.count('layer.token')).toBe(tokens);
  });
});

describe('business scoping', () => {
  it('never hands the token of business A out for business B', async () => {
    const client = h.client();
    const [a, b] = [h.active[0]!, h.active[1]!];
    const tokenA = await client.getBusinessToken(a);
    const tokenB = await client.getBusinessToken(b);
    expect(tokenB.accessToken).not.toBe(tokenA.accessToken);
    expect(tokenB.businessId).toBe(b);
    expect(await client.getBusinessToken(a)).toBe(tokenA);
  });

  it("lets A's token read A only", async () => {
    const client = h.client();
    const [a, b] = [h.active[0]!, h.active[1]!];
    const mine = await client.fetch(`/v1/businesses/${a}`, { token: { businessId: a } });
    expect(mine.status).toBe(200);
    expect(await mine.json()).toMatchObject({ data: { type: 'Business', id: a } });
    const tokenA = await client.getBusinessToken(a);
    const theirs = await client.fetch(`/v1/businesses/${b}`, { headers: { authorization: `Bearer ${tokenA.accessToken}` } });
    expect(theirs.status).toBe(403);
    await theirs.body?.cancel();
  });

  it('keeps tokens of different session durations apart', async () => {
    const client = h.client();
    const short = await client.getBusinessToken(h.active[0]!, { sessionDuration: 300 });
    const long = await client.getBusinessToken(h.active[0]!, { sessionDuration: 900 });
    expect(long.accessToken).not.toBe(short.accessToken);
    expect(long.expiresAt).toBeGreaterThan(short.expiresAt);
  });
});
