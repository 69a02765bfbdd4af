import { createMemoryStore } from '@fintoken/core';
import { calculateJwkThumbprint, decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOAuth2Client, type OAuth2ClientOptions } from '../src/index.js';
import { SECRETS } from './support/authorizationServer.js';
import { useAuthorizationServer } from './support/fixture.js';
import { startResourceServer, type ResourceServer } from './support/resourceServer.js';

const fx = useAuthorizationServer();
let api: ResourceServer;
beforeAll(async () => {
  api = await startResourceServer(fx.as, 'dpop', fx.pki);
});
afterAll(() => api.close());

async function dpopClient(extra: Partial<OAuth2ClientOptions> = {}) {
  const keys = await generateKeyPair('ES256');
  const client = createOAuth2Client({ issuer: fx.as.issuer, clientId: 'dpop', clientSecret: SECRETS.dpop, dpop: keys, apiUrl: api.url, ...extra });
  return { client, keys, jkt: await calculateJwkThumbprint(await exportJWK(keys.publicKey)) };
}

describe('DPoP (RFC 9449) against oidc-provider', () => {
  it('gets a DPoP-bound token: token_type DPoP, cnf.jkt the thumbprint of the client key, the server nonce answered once', async () => {
    const { client, jkt } = await dpopClient();
    const before = fx.as.tokenRequests.length;
    const token = await client.getToken();
    expect(token.tokenType).toBe('DPoP');
    expect(await fx.as.introspect(token.accessToken)).toMatchObject({ active: true, token_type: 'DPoP', cnf: { jkt } });
    // The server requires a nonce (§8): the first proof has none and is refused, the retry carries it.
    const attempts = fx.as.tokenRequests.slice(before);
    expect(attempts.map((r) => r.status)).toEqual([400, 200]);
    const [first, second] = attempts.map((r) => decodeJwt(String(r.headers.dpop)));
    expect(first!.nonce).toBeUndefined();
    expect(second!.nonce).toEqual(expect.any(String));
    expect(second).toMatchObject({ htm: 'POST', htu: `${fx.as.issuer}/token` });
    expect(first!.jti).not.toBe(second!.jti);
    expect(decodeProtectedHeader(String(attempts[1]!.headers.dpop))).toMatchObject({ typ: 'dpop+jwt', alg: 'ES256', jwk: { kty: 'EC' } });
    expect(decodeProtectedHeader(String(attempts[1]!.headers.dpop)).jwk).not.toHaveProperty('d');
    // The nonce is kept: the next token request is accepted at once.
    await client.getToken({ forceRefresh: true });
    expect(fx.as.tokenRequests.slice(before + 2).map((r) => r.status)).toEqual([200]);
  });

  it('a token request captured with its proof and replayed by an attacker is refused', async () => {
    const { client } = await dpopClient();
    await client.getToken();
    const captured = fx.as.tokenRequests.at(-1)!;
    const why = new Promise<unknown>((resolve) => fx.as.provider.once('grant.error', (_ctx, error) => resolve(error)));
    const replay = await fetch(`${fx.as.issuer}/token`, {
      method: 'POST',
      headers: { authorization: String(captured.headers.authorization), dpop: String(captured.headers.dpop), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(captured.body as Record<string, string>),
    });
    expect(replay.status).toBe(400);
    expect(await replay.json()).toMatchObject({ error: 'invalid_grant' });
    // What oidc-provider tells its operator (not the client): the proof's jti was seen before.
    expect(await why).toMatchObject({ error_detail: expect.stringMatching(/replay/i) });
  });

  it('client.fetch sends the token with the DPoP scheme and a proof for that request and token; the API nonce challenge is answered once', async () => {
    const { client } = await dpopClient();
    const start = api.requests.length;
    const first = await client.fetch('/accounts?page=2', { method: 'POST', body: '{}' });
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ ok: true, client: 'dpop' });
    expect(api.requests.slice(start).map((r) => r.reason)).toEqual(['use_dpop_nonce', 'ok']);
    // The API's nonce is remembered: the next call is one request.
    expect((await client.fetch('/accounts')).status).toBe(200);
    expect(api.requests.slice(start + 2).map((r) => r.reason)).toEqual(['ok']);
    // A nonce the API rotates is learnt from its challenge again.
    api.rotateNonce();
    expect((await client.fetch('/accounts')).status).toBe(200);
    expect(api.requests.slice(start + 3).map((r) => r.reason)).toEqual(['use_dpop_nonce', 'ok']);
  });

  it('a stolen DPoP token is useless without the key: as a Bearer, or with the thief’s own proof', async () => {
    const { client } = await dpopClient();
    const { accessToken } = await client.getToken();
    const asBearer = await fetch(`${api.url}/accounts`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(asBearer.status).toBe(401);
    // The thief has a DPoP client of their own (another key) and sends the stolen token through it.
    const thief = await dpopClient();
    const response = await thief.client.fetch('/accounts', { headers: { authorization: `DPoP ${accessToken}` } });
    expect(response.status).toBe(401);
    expect(api.requests.at(-1)!.reason).not.toBe('ok');
  });

  it('takes a private JWK alone (its public members are the public key)', async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const jwk = await exportJWK(privateKey);
    const client = createOAuth2Client({ issuer: fx.as.issuer, clientId: 'dpop', clientSecret: SECRETS.dpop, dpop: { privateKey: jwk }, apiUrl: api.url });
    const token = await client.getToken();
    const { d: _d, ...publicJwk } = jwk;
    expect(await fx.as.introspect(token.accessToken)).toMatchObject({ cnf: { jkt: await calculateJwkThumbprint(publicJwk) } });
    expect((await client.fetch('/accounts')).status).toBe(200);
  });

  it('keys tokens by DPoP key: clients sharing a store share a token only when they share the key', async () => {
    const store = createMemoryStore();
    const keys = await generateKeyPair('ES256');
    const other = await generateKeyPair('ES256');
    const options = { issuer: fx.as.issuer, clientId: 'dpop', clientSecret: SECRETS.dpop, store } as const;
    const a = createOAuth2Client({ ...options, dpop: keys });
    const sameKey = createOAuth2Client({ ...options, dpop: keys });
    const otherKey = createOAuth2Client({ ...options, dpop: other });
    const tokenA = await a.getToken();
    expect((await sameKey.getToken()).accessToken).toBe(tokenA.accessToken);
    const tokenB = await otherKey.getToken();
    expect(tokenB.accessToken).not.toBe(tokenA.accessToken);
    expect(await fx.as.introspect(tokenB.accessToken)).toMatchObject({ cnf: { jkt: await calculateJwkThumbprint(await exportJWK(other.publicKey)) } });
  });
});
