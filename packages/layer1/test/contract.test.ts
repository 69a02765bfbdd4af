import { AuthenticationError, decodeJwtClaims, ProviderError, UnsupportedError, type TokenClient } from '@fintoken/core';
import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { layer1Fixture, type Layer1Fixture } from './fixture.js';

let fx: Layer1Fixture;
beforeAll(async () => {
  fx = await layer1Fixture();
});
afterAll(() => fx.sandbox.close());
beforeEach(() => {
  fx.sandbox.stats.reset();
  fx.sandbox.faults.clear();
});

describe('Layer1 token (seed: layer1-authentication)', () => {
  it('returns the Keycloak token: Bearer, scope list, 300 s lifetime less the safety margin', async () => {
    const token = await fx.connect().getToken();
    expect(token.tokenType).toBe('Bearer');
    expect(token.scope).toEqual(expect.arrayContaining(['tenants:view', 'transactions:edit', 'networks:view']));
    expect(decodeJwtClaims(token.accessToken)?.azp).toBe(fx.sandbox.credentials.layer1.clientId);
    const life = token.expiresAt - (token.issuedAt ?? 0);
    expect(life).toBeGreaterThan(288_500);
    expect(life).toBeLessThan(291_500);
  });

  it('the token opens the Layer1 API through client.fetch', async () => {
    const response = await fx.connect().fetch('/api/v1/tenants');
    expect(response.status).toBe(200);
    expect(((await response.json()) as { data: unknown[] }).data.length).toBeGreaterThan(0);
  });

  it('wrong secret -> invalid_client -> AuthenticationError, asked once', async () => {
    const failure = await fx.connect({ clientSecret: 'definitely-wrong' }).getToken().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(AuthenticationError);
    expect(failure).toMatchObject({ status: 401, providerCode: 'invalid_client', provider: 'layer1' });
    expect(fx.hits()).toBe(1);
  });

  it('unknown client id -> invalid_client as well', async () => {
    await expect(fx.connect({ clientId: 'nobody' }).getToken()).rejects.toMatchObject({ code: 'ERR_AUTHENTICATION', providerCode: 'invalid_client' });
  });

  it('unauthorized_client and invalid_request -> ProviderError with providerCode, not AuthenticationError', async () => {
    // The emulator answers an injected 403 with unauthorized_client and a 400 with invalid_request.
    for (const [status, code] of [[403, 'unauthorized_client'], [400, 'invalid_request']] as const) {
      fx.sandbox.faults.inject('layer1.token', { status });
      const failure = await fx.connect().getToken().catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(ProviderError);
      expect(failure).not.toBeInstanceOf(AuthenticationError);
      expect(failure).toMatchObject({ status, providerCode: code });
    }
    expect(fx.hits()).toBe(2);
  });

  it('the realm answers another grant type with unsupported_grant_type (the client never sends one)', async () => {
    const { clientId, clientSecret } = fx.sandbox.credentials.layer1;
    const response = await request(fx.sandbox.urls.layer1.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: clientId, client_secret: clientSecret, grant_type: 'password' }).toString(),
    });
    expect(response.statusCode).toBe(400);
    expect(await response.body.json()).toMatchObject({ error: 'unsupported_grant_type' });
  });

  it.each([
    ['businessId', { businessId: 'biz_1' }],
    ['scope', { scope: 'tenants:view' }],
    ['resource', { resource: 'https://api.example' }],
  ])('getToken({ %s }) -> UnsupportedError without a request', async (_field, asked) => {
    // Typed Layer1 code cannot even ask; generic TokenClient code can, and is told no.
    const generic: TokenClient = fx.connect();
    const failure = await generic.getToken(asked).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(UnsupportedError);
    expect(failure).toMatchObject({ code: 'ERR_UNSUPPORTED', provider: 'layer1' });
    expect(fx.hits()).toBe(0);
  });
});
