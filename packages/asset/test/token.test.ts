import { decodeJwtClaims } from '@fintoken/core';
import { describe, expect, it } from 'vitest';
import { useAssetSandbox } from './sandbox.js';

const env = useAssetSandbox();

const claimsOf = (accessToken: string) => decodeJwtClaims(accessToken) ?? {};
const lifetimeMs = (token: { expiresAt: number; issuedAt?: number }) => token.expiresAt - (token.issuedAt ?? Number.NaN);

describe('Asset token contract (sandbox)', () => {
  it('gets a client token without business_id, audience defaulting to the API host', async () => {
    const token = await env.client().getToken();
    const claims = claimsOf(token.accessToken);
    expect(token.tokenType).toBe('Bearer');
    expect(token.businessId).toBeUndefined();
    expect(claims.client_id).toBe(env.sandbox.credentials.asset.clientId);
    expect(claims.business_id).toBeUndefined();
    expect(claims.aud).toBe(env.sandbox.urls.asset.baseUrl);
    // Seed default expires_in 3600 s, sent back as a unix time; core keeps a 10 s safety margin.
    expect(Math.abs(lifetimeMs(token) - 3_590_000)).toBeLessThan(1_500);
    expect(env.tokenRequests()).toBe(1);
  });

  it('gets a business token: business_id in the JWT and on the Token', async () => {
    const [business] = env.sandbox.businesses.asset.allowed;
    const token = await env.client().getToken({ businessId: business });
    expect(token.businessId).toBe(business);
    expect(claimsOf(token.accessToken).business_id).toBe(business);
  });

  it('sends scope space-separated and normalised, request scope replacing the default', async () => {
    const client = env.client({ scope: 'ledger:read' });
    expect(claimsOf((await client.getToken()).accessToken).scope).toBe('ledger:read');
    const asked = await client.getToken({ scope: ['invoice:create', 'ledger:read', 'invoice:create'] });
    expect(claimsOf(asked.accessToken).scope).toBe('invoice:create ledger:read');
    // "ledger:read invoice:create" is the same set: served from the cache.
    await client.getToken({ scope: 'ledger:read  invoice:create' });
    expect(env.tokenRequests()).toBe(2);
  });

  it('repeats resource per value: several become a JWT aud array, one a string', async () => {
    const client = env.client();
    const many = await client.getToken({ resource: ['https://b.example.com/api', 'https://a.example.com'] });
    expect(claimsOf(many.accessToken).aud).toEqual(['https://a.example.com', 'https://b.example.com/api']);
    const one = await client.getToken({ resource: 'urn:example:ledger' });
    expect(claimsOf(one.accessToken).aud).toBe('urn:example:ledger');
  });

  it('uses the default resource of the client unless the request names its own', async () => {
    const client = env.client({ resource: 'https://ledger.example.com' });
    expect(claimsOf((await client.getToken()).accessToken).aud).toBe('https://ledger.example.com');
    expect(claimsOf((await client.getToken({ resource: [] })).accessToken).aud).toBe(env.sandbox.urls.asset.baseUrl);
  });

  it('asks for a custom expires_in and computes the local expiry from the absolute answer', async () => {
    const token = await env.client().getToken({ expiresIn: 120 });
    const claims = claimsOf(token.accessToken);
    expect(Number(claims.exp) - Number(claims.iat)).toBe(120);
    // Margin: 10 % of a 120 s lifetime is more than 10 s, so 10 s.
    expect(Math.abs(lifetimeMs(token) - 110_000)).toBeLessThan(1_500);
  });

  it('keys the cache by business, scope, resource and expires_in', async () => {
    const client = env.client({ expiresIn: 900 });
    const [a, b] = env.sandbox.businesses.asset.allowed;
    const requests = [{}, { businessId: a }, { businessId: b }, { scope: 'x:read' }, { resource: 'https://r.example' }, { expiresIn: 60 }];
    const first = await Promise.all(requests.map((r) => client.getToken(r)));
    const again = await Promise.all(requests.map((r) => client.getToken(r)));
    expect(new Set(first.map((t) => t.accessToken)).size).toBe(requests.length);
    expect(again.map((t) => t.accessToken)).toEqual(first.map((t) => t.accessToken));
    expect(env.tokenRequests()).toBe(requests.length);
    expect(Number(claimsOf(first[0]!.accessToken).exp) - Number(claimsOf(first[0]!.accessToken).iat)).toBe(900);
  });
});

describe('business scoping (sandbox)', () => {
  it('never hands business A’s token to B, and the API accepts each for its own business only', async () => {
    const client = env.client();
    const [a, b] = env.sandbox.businesses.asset.allowed as [string, string];
    const tokenA = await client.getToken({ businessId: a });
    const tokenB = await client.getToken({ businessId: b });
    expect(tokenA.accessToken).not.toBe(tokenB.accessToken);
    expect((await client.getToken({ businessId: b })).accessToken).toBe(tokenB.accessToken);

    const own = await client.fetch(`/v0/businesses/${a}`, { token: { businessId: a } });
    expect(own.status).toBe(200);
    expect(await own.json()).toMatchObject({ id: a });
    const other = await client.fetch(`/v0/businesses/${a}`, { token: { businessId: b } });
    expect(other.status).toBe(403);
    await other.body?.cancel();
    // A 403 is not a reason to refresh: two token requests in all.
    expect(env.tokenRequests()).toBe(2);
  });
});
