import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigurationError, ProviderError, ResponseValidationError, type FintokenEvent } from '@fintoken/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOAuth2Client, discoveryUrls } from '../src/index.js';
import { SECRETS } from './support/authorizationServer.js';
import { quick, useAuthorizationServer } from './support/fixture.js';

// oidc-provider mounted under /tenant: an issuer with a path, whose RFC 8414 document (at the host's
// root, /.well-known/oauth-authorization-server/tenant) does not exist, so the client falls back to
// OpenID Connect Discovery (/tenant/.well-known/openid-configuration).
const fx = useAuthorizationServer({ path: '/tenant' });

/** A server of the test's own that publishes whatever metadata a test says, counting requests. */
let fake: { url: string; answer: (res: ServerResponse, path: string) => void; paths: string[]; close: () => Promise<void> };
beforeAll(async () => {
  const paths: string[] = [];
  const server = createServer((req, res) => {
    paths.push(req.url ?? '');
    fake.answer(res, req.url ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    answer: (res) => res.writeHead(404).end(),
    paths,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
});
afterAll(() => fake.close());

const json = (res: ServerResponse, status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

describe('discovery', () => {
  it('puts the well-known segment before the issuer path (RFC 8414 §3.1), and appends it for OpenID', () => {
    expect(discoveryUrls('https://as.example/tenant/')).toEqual([
      'https://as.example/.well-known/oauth-authorization-server/tenant',
      'https://as.example/tenant/.well-known/openid-configuration',
    ]);
    expect(discoveryUrls('https://as.example')).toEqual([
      'https://as.example/.well-known/oauth-authorization-server',
      'https://as.example/.well-known/openid-configuration',
    ]);
  });

  it('falls back to OpenID Connect Discovery for an issuer with a path, and fetches the metadata once for every caller', async () => {
    const called: string[] = [];
    const client = createOAuth2Client({
      issuer: fx.as.issuer,
      clientId: 'basic',
      clientSecret: SECRETS.basic,
      onEvent: (e: FintokenEvent) => e.type === 'endpoint.called' && called.push(`${e.status} ${e.url}`),
    });
    const tokens = await Promise.all(Array.from({ length: 20 }, (_, i) => client.getToken({ scope: i % 2 === 0 ? 'api:read' : 'api:write' })));
    expect(tokens.every((t) => t.accessToken.length > 0)).toBe(true);
    const origin = new URL(fx.as.issuer).origin;
    expect(called.filter((c) => c.includes('.well-known'))).toEqual([
      `404 ${origin}/.well-known/oauth-authorization-server/tenant`,
      `200 ${origin}/tenant/.well-known/openid-configuration`,
    ]);
    // Two keys (two scopes), two token requests; the metadata was not asked for again.
    expect(called.filter((c) => c.endsWith('/tenant/token'))).toHaveLength(2);
    await client.getToken({ forceRefresh: true });
    expect(called.filter((c) => c.includes('.well-known'))).toHaveLength(2);
  });

  it('refuses metadata naming another issuer (RFC 8414 §3.3), sends no credentials, and keeps nothing', async () => {
    // An attacker's document for an issuer they do not control, pointing the token endpoint at themselves.
    fake.answer = (res, path) =>
      path.endsWith('/token')
        ? json(res, 200, { access_token: 'stolen', token_type: 'Bearer', expires_in: 60 })
        : json(res, 200, { issuer: fx.as.issuer, token_endpoint: `${fake.url}/token` });
    fake.paths.length = 0;
    const client = createOAuth2Client({ issuer: fake.url, clientId: 'basic', clientSecret: SECRETS.basic, ...quick });
    const error = await client.getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect(error).toMatchObject({ field: 'issuer' });
    expect(fake.paths).toEqual(['/.well-known/oauth-authorization-server']);
    // Not cached: the next request discovers again (and is refused again).
    await expect(client.getToken()).rejects.toBeInstanceOf(ResponseValidationError);
    expect(fake.paths).toHaveLength(2);
  });

  it('does not keep a failed discovery: the next request tries again and succeeds', async () => {
    let up = false;
    fake.answer = (res, path) => {
      if (!up) return json(res, 503, { error: 'temporarily_unavailable' });
      if (path === '/.well-known/oauth-authorization-server') {
        return json(res, 200, { issuer: fake.url, token_endpoint: `${fx.as.issuer}/token`, token_endpoint_auth_methods_supported: ['client_secret_post'] });
      }
      json(res, 404, {});
    };
    const client = createOAuth2Client({ issuer: fake.url, clientId: 'post', clientSecret: SECRETS.post, ...quick });
    await expect(client.getToken()).rejects.toBeInstanceOf(ProviderError);
    up = true;
    await expect(client.getToken()).resolves.toMatchObject({ tokenType: 'Bearer' });
    // No authMethod given, and the server lists only client_secret_post: the client used it.
    expect(fx.as.tokenRequests.at(-1)!.body).toMatchObject({ client_id: 'post', client_secret: SECRETS.post });
  });

  it('refuses a metadata token endpoint in plain http off loopback, unless allowInsecureHttp', async () => {
    fake.answer = (res) => json(res, 200, { issuer: fake.url, token_endpoint: 'http://as.example/token' });
    const client = createOAuth2Client({ issuer: fake.url, clientId: 'basic', clientSecret: SECRETS.basic, ...quick });
    await expect(client.getToken()).rejects.toMatchObject({ name: 'ResponseValidationError', field: 'token_endpoint' });
  });

  it('says which URLs it tried when neither document exists', async () => {
    fake.answer = (res) => res.writeHead(404).end();
    const client = createOAuth2Client({ issuer: fake.url, clientId: 'basic', clientSecret: SECRETS.basic, ...quick });
    await expect(client.getToken()).rejects.toThrow(/no metadata at .*oauth-authorization-server or .*openid-configuration/);
  });

  it('refuses a secret with a server that lists no secret method, naming what it lists', async () => {
    fake.answer = (res) => json(res, 200, { issuer: fake.url, token_endpoint: `${fx.as.issuer}/token`, token_endpoint_auth_methods_supported: ['private_key_jwt'] });
    const client = createOAuth2Client({ issuer: fake.url, clientId: 'basic', clientSecret: SECRETS.basic, ...quick });
    const error = await client.getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(String(error)).toMatch(/accepts private_key_jwt/);
  });
});
