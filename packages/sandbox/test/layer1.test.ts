import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../src/index.js';
import { basic, bearer, call, jsonHeaders, postForm, verifyWithJwks } from './helpers.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ seed: 'layer1-tests' });
});
afterAll(() => sandbox.close());

const creds = () => sandbox.credentials.layer1;
const formCredentials = () => ({ client_id: creds().clientId, client_secret: creds().clientSecret, grant_type: 'client_credentials' });
const realmUrl = () => `${sandbox.url}/layer1/realms/${creds().realm}`;

describe('Layer1 (Keycloak): POST /layer1/realms/{realm}/protocol/openid-connect/token', () => {
  it('issues the seed response for credentials in the form', async () => {
    const res = await postForm(sandbox.urls.layer1.tokenUrl, formCredentials());
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.json).toEqual({
      access_token: expect.any(String),
      expires_in: 300,
      refresh_expires_in: 0,
      token_type: 'Bearer',
      'not-before-policy': 0,
      scope: 'tenants:view transactions:edit microprofile-jwt networks:view',
    });
    const claims = await verifyWithJwks(res.json.access_token, sandbox.urls.layer1.jwksUrl, realmUrl());
    expect(claims).toMatchObject({ azp: creds().clientId, client_id: creds().clientId });
    expect(claims.exp! - claims.iat!).toBe(300);
  });

  it('also accepts HTTP Basic, as Keycloak does', async () => {
    const res = await postForm(sandbox.urls.layer1.tokenUrl, { grant_type: 'client_credentials' }, {
      Authorization: basic(creds().clientId, creds().clientSecret),
    });
    expect(res.status).toBe(200);
  });

  it.each([
    ['a wrong secret', { client_secret: 'wrong' }],
    ['an unknown client', { client_id: 'nobody' }],
    ['no client_secret', { client_secret: undefined }],
    ['no client_id', { client_id: undefined }],
  ])('answers 401 invalid_client for %s', async (_name, change) => {
    const fields = Object.fromEntries(
      Object.entries({ ...formCredentials(), ...change }).filter((e): e is [string, string] => e[1] !== undefined),
    );
    const res = await postForm(sandbox.urls.layer1.tokenUrl, fields);
    expect(res.status).toBe(401);
    expect(res.json).toEqual({ error: 'invalid_client', error_description: expect.any(String) });
  });

  it('answers 400 for a missing or unsupported grant_type', async () => {
    const { grant_type: _omitted, ...withoutGrant } = formCredentials();
    const missing = await postForm(sandbox.urls.layer1.tokenUrl, withoutGrant);
    expect(missing.status).toBe(400);
    expect(missing.json.error).toBe('invalid_request');
    const password = await postForm(sandbox.urls.layer1.tokenUrl, { ...formCredentials(), grant_type: 'password' });
    expect(password.status).toBe(400);
    expect(password.json.error).toBe('unsupported_grant_type');
  });

  it('answers 400 invalid_request for a JSON body', async () => {
    const res = await call(sandbox.urls.layer1.tokenUrl, { method: 'POST', headers: jsonHeaders, body: JSON.stringify(formCredentials()) });
    expect(res.status).toBe(400);
    expect(res.json.error).toBe('invalid_request');
  });

  it('answers 404 for an unknown realm', async () => {
    const res = await postForm(`${sandbox.url}/layer1/realms/other/protocol/openid-connect/token`, formCredentials());
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ error: 'invalid_request', error_description: 'Realm does not exist' });
  });
});

describe('Layer1 certs, discovery and API', () => {
  it('serves the JWKS at the Keycloak certs path and a discovery document', async () => {
    const certs = await call(sandbox.jwks.layer1);
    expect(certs.json.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig', kid: expect.any(String) });
    expect(certs.json.keys[0].d).toBeUndefined();
    const discovery = await call(`${realmUrl()}/.well-known/openid-configuration`);
    expect(discovery.json).toMatchObject({ issuer: realmUrl(), token_endpoint: sandbox.urls.layer1.tokenUrl, jwks_uri: sandbox.urls.layer1.jwksUrl });
  });

  it('lets a valid token list tenants and refuses others with 401 invalid_token', async () => {
    const url = `${sandbox.urls.layer1.apiUrl}/api/v1/tenants`;
    const token = (await postForm(sandbox.urls.layer1.tokenUrl, formCredentials())).json.access_token;
    const ok = await call(url, { headers: { Authorization: bearer(token) } });
    expect(ok.status).toBe(200);
    expect(ok.json.data).toEqual(expect.any(Array));
    const missing = await call(url);
    expect(missing.status).toBe(401);
    expect(missing.json.error).toBe('invalid_token');
    expect(missing.headers['www-authenticate']).toMatch(/^Bearer/);
  });

  it('refuses a token once 300 seconds have passed on the sandbox clock', async () => {
    const token = (await postForm(sandbox.urls.layer1.tokenUrl, formCredentials())).json.access_token;
    sandbox.clock.setSkewMs(301_000);
    try {
      const res = await call(`${sandbox.urls.layer1.apiUrl}/api/v1/tenants`, { headers: { Authorization: bearer(token) } });
      expect(res.status).toBe(401);
    } finally {
      sandbox.clock.setSkewMs(0);
    }
  });
});
