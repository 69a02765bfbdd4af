import { AuthenticationError } from '@fintoken/core';
import { decodeJwt, decodeProtectedHeader, importPKCS8 } from 'jose';
import { describe, expect, it } from 'vitest';
import { createOAuth2Client, type OAuth2ClientOptions } from '../src/index.js';
import { SECRETS } from './support/authorizationServer.js';
import { useAuthorizationServer } from './support/fixture.js';

const fx = useAuthorizationServer();

/** Get a token, then check at the server (introspection) that it is live and the client's. */
async function tokenFor(options: Omit<OAuth2ClientOptions, 'issuer'>) {
  const client = createOAuth2Client({ issuer: fx.as.issuer, ...options });
  const token = await client.getToken();
  const introspection = await fx.as.introspect(token.accessToken);
  expect(introspection).toMatchObject({ active: true, client_id: options.clientId });
  return { client, token, request: fx.as.tokenRequests.at(-1)! };
}

const assertionOf = (request: { body: Record<string, unknown> }) => String(request.body.client_assertion);

describe('client authentication against oidc-provider', () => {
  it('client_secret_basic (the default): the id and secret form-encoded before base64 (RFC 6749 §2.3.1)', async () => {
    const { request } = await tokenFor({ clientId: 'basic', clientSecret: SECRETS.basic });
    expect(request.headers.authorization).toMatch(/^Basic /);
    expect(Buffer.from(String(request.headers.authorization).slice(6), 'base64').toString()).toBe(
      `basic:${encodeURIComponent(SECRETS.basic).replace(/%20/g, '+')}`,
    );
    expect(request.body).toEqual({ grant_type: 'client_credentials' });
  });

  it('client_secret_post: id and secret as form fields', async () => {
    const { request } = await tokenFor({ clientId: 'post', clientSecret: SECRETS.post, authMethod: 'client_secret_post' });
    expect(request.headers.authorization).toBeUndefined();
    expect(request.body).toMatchObject({ client_id: 'post', client_secret: SECRETS.post });
  });

  it('client_secret_jwt: an HS256 assertion, the secret never sent', async () => {
    const { request } = await tokenFor({ clientId: 'jwt', clientSecret: SECRETS.jwt, authMethod: 'client_secret_jwt' });
    expect(JSON.stringify(request)).not.toContain(SECRETS.jwt);
    expect(decodeProtectedHeader(assertionOf(request)).alg).toBe('HS256');
    expect(request.body.client_assertion_type).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
  });

  it('private_key_jwt with a PKCS#8 PEM, a KeyObject, a CryptoKey and a JWK, each algorithm taken from the key', async () => {
    const { rsa, ec, ed } = fx.as.keys;
    const pem = rsa.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
    const cases = [
      { privateKey: pem, keyId: 'rsa-1', alg: 'RS256' },
      { privateKey: ec.privateKey, keyId: 'ec-1', alg: 'ES256' },
      { privateKey: await importPKCS8(ed.privateKey.export({ format: 'pem', type: 'pkcs8' }) as string, 'EdDSA'), keyId: 'ed-1', alg: 'EdDSA' },
      { privateKey: { ...ec.privateKey.export({ format: 'jwk' }), kid: 'ec-1' }, alg: 'ES256' },
    ];
    for (const { privateKey, keyId, alg } of cases) {
      const { request } = await tokenFor({ clientId: 'pkjwt', privateKey, ...(keyId === undefined ? {} : { keyId }) });
      expect(decodeProtectedHeader(assertionOf(request))).toMatchObject({ alg, kid: keyId ?? 'ec-1' });
    }
  });

  it('signs every assertion afresh: iss and sub the client, aud the issuer, a new jti, at most 60 s of life', async () => {
    const client = createOAuth2Client({ issuer: fx.as.issuer, clientId: 'pkjwt', privateKey: fx.as.keys.ec.privateKey, keyId: 'ec-1' });
    const before = fx.as.tokenRequests.length;
    await client.getToken();
    await client.getToken({ forceRefresh: true });
    await client.getToken({ scope: 'api:read' });
    const claims = fx.as.tokenRequests.slice(before).map((r) => decodeJwt(assertionOf(r)));
    expect(claims).toHaveLength(3);
    expect(new Set(claims.map((c) => c.jti)).size).toBe(3);
    for (const c of claims) {
      expect(c).toMatchObject({ iss: 'pkjwt', sub: 'pkjwt', aud: fx.as.issuer });
      expect(c.exp! - c.iat!).toBeLessThanOrEqual(60);
    }
  });

  it('a captured assertion replayed by an attacker is refused by the server (jti seen)', async () => {
    await tokenFor({ clientId: 'pkjwt', privateKey: fx.as.keys.ec.privateKey, keyId: 'ec-1' });
    const stolen = fx.as.tokenRequests.at(-1)!.body;
    const replay = await fetch(`${fx.as.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(stolen as Record<string, string>),
    });
    expect(replay.status).toBe(401);
    expect(await replay.json()).toMatchObject({ error: 'invalid_client' });
  });

  it('with tokenUrl and no issuer: no discovery, the assertion audience is the token endpoint', async () => {
    const discoveries = fx.as.discoveryRequests.length;
    const tokenUrl = `${fx.as.issuer}/token`;
    const client = createOAuth2Client({ tokenUrl, clientId: 'pkjwt', privateKey: fx.as.keys.ec.privateKey, keyId: 'ec-1' });
    await client.getToken();
    expect(fx.as.discoveryRequests.length).toBe(discoveries);
    expect(decodeJwt(assertionOf(fx.as.tokenRequests.at(-1)!)).aud).toBe(tokenUrl);
  });

  it('a wrong secret is an AuthenticationError that names neither secret', async () => {
    const client = createOAuth2Client({ issuer: fx.as.issuer, clientId: 'basic', clientSecret: 'not-the-secret-PLANTED' });
    const error = await client.getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).providerCode).toBe('invalid_client');
    expect(JSON.stringify(error) + String(error)).not.toMatch(/PLANTED|special%chars/);
  });

  it('a key the server does not know is refused (invalid_client)', async () => {
    const client = createOAuth2Client({ issuer: fx.as.issuer, clientId: 'pkjwt', privateKey: fx.as.keys.rsa.privateKey, keyId: 'ec-1' });
    await expect(client.getToken()).rejects.toBeInstanceOf(AuthenticationError);
  });
});
