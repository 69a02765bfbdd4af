import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../src/index.js';
import { basic, bearer, call, jsonHeaders, postForm, verifyWithJwks } from './helpers.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ seed: 'asset-tests' });
});
afterAll(() => sandbox.close());

const tokenUrl = () => `${sandbox.urls.asset.baseUrl}/v0/auth/token`;
const credentials = () => ({ client_id: sandbox.credentials.asset.clientId, client_secret: sandbox.credentials.asset.clientSecret });
const requestToken = (fields: Record<string, string | string[]> = {}) => postForm(tokenUrl(), { ...credentials(), ...fields });
const errorResponse = { error: expect.any(String), data: expect.anything() };

describe('Asset: POST /asset/v0/auth/token', () => {
  it('returns expires_in as an absolute unix timestamp (seed: AccessToken.expires_in)', async () => {
    const res = await requestToken({ grant_type: 'client_credentials' });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.json).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: expect.any(Number) });
    const claims = await verifyWithJwks(res.json.access_token, sandbox.jwks.asset, `${sandbox.url}/asset`);
    expect(res.json.expires_in).toBe(claims.exp);
    expect(claims.exp! - claims.iat!).toBe(3600);
    const dateSeconds = Date.parse(res.headers.date as string) / 1000;
    expect(Math.abs(res.json.expires_in - (dateSeconds + 3600))).toBeLessThanOrEqual(1);
    // "Defaults to the current host": the emulated host is the Asset base URL.
    expect(claims.aud).toBe(sandbox.urls.asset.baseUrl);
  });

  it('defaults grant_type to client_credentials', async () => {
    expect((await requestToken()).status).toBe(200);
  });

  it('scopes the token to an allowed business, with scope and expires_in', async () => {
    const businessId = sandbox.businesses.asset.allowed[0]!;
    const res = await requestToken({ business_id: businessId, scope: 'ledger:read invoice:create', expires_in: '60' });
    expect(res.status).toBe(200);
    const claims = decodeJwt(res.json.access_token);
    expect(claims).toMatchObject({ business_id: businessId, scope: 'ledger:read invoice:create', client_id: credentials().client_id });
    expect(claims.exp! - claims.iat!).toBe(60);
  });

  it('sets aud from repeated RFC 8707 resource parameters', async () => {
    const one = decodeJwt((await requestToken({ resource: 'https://api.example.com' })).json.access_token);
    expect(one.aud).toBe('https://api.example.com');
    const two = decodeJwt((await requestToken({ resource: ['https://a.example', 'urn:example:ledger'] })).json.access_token);
    expect(two.aud).toEqual(['https://a.example', 'urn:example:ledger']);
  });

  it('answers 403 for a business the client may not act for and 404 for an unknown one', async () => {
    const forbidden = await requestToken({ business_id: sandbox.businesses.asset.forbidden });
    expect(forbidden.status).toBe(403);
    expect(forbidden.json).toEqual(errorResponse);
    const unknown = await requestToken({ business_id: 'biz_DoesNotExist' });
    expect(unknown.status).toBe(404);
    expect(unknown.json).toEqual(errorResponse);
  });

  it.each([
    ['a wrong secret', { client_secret: 'wrong' }],
    ['an unknown client', { client_id: 'client_unknown' }],
  ])('answers 401 for %s', async (_name, fields) => {
    const res = await requestToken(fields);
    expect(res.status).toBe(401);
    expect(res.json).toEqual({ error: expect.any(String), data: null });
  });

  it('answers 401 when client_secret is missing', async () => {
    const res = await postForm(tokenUrl(), { client_id: credentials().client_id });
    expect(res.status).toBe(401);
  });

  it.each([
    ['expires_in is 0', { expires_in: '0' }, 'expires_in'],
    ['expires_in is negative', { expires_in: '-5' }, 'expires_in'],
    ['expires_in is not an integer', { expires_in: '1.5' }, 'expires_in'],
    ['grant_type is not client_credentials', { grant_type: 'authorization_code' }, 'grant_type'],
    ['a resource is relative', { resource: '/ledger' }, 'resource'],
    ['a resource has a fragment', { resource: 'https://api.example.com/#x' }, 'resource'],
  ])('answers 422 when %s', async (_name, fields, field) => {
    const res = await requestToken(fields);
    expect(res.status).toBe(422);
    expect(res.json.error).toEqual(expect.any(String));
    expect(res.json.data[0].loc).toContain(field);
  });

  it('answers 422 when client_id is missing, even with Basic credentials', async () => {
    const res = await postForm(tokenUrl(), { grant_type: 'client_credentials' }, {
      Authorization: basic(credentials().client_id, credentials().client_secret),
    });
    expect(res.status).toBe(422);
    expect(res.json.data).toEqual([{ loc: ['body', 'client_id'], msg: 'Field required', type: 'missing' }]);
  });

  it('answers 422 for a JSON body', async () => {
    const res = await call(tokenUrl(), { method: 'POST', headers: jsonHeaders, body: JSON.stringify(credentials()) });
    expect(res.status).toBe(422);
    expect(res.json).toEqual(errorResponse);
  });

  it('answers the wrong method and unknown paths in the ErrorResponse shape', async () => {
    const get = await call(tokenUrl());
    expect(get.status).toBe(405);
    expect(get.json).toEqual({ error: 'Method Not Allowed', data: expect.anything() });
    const missing = await call(`${sandbox.urls.asset.baseUrl}/v0/nothing`);
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ error: 'Not Found', data: expect.anything() });
  });
});

describe('Asset (emulator-only): GET /asset/v0/businesses/{business_id}', () => {
  const getBusiness = (id: string, token?: string) =>
    call(`${sandbox.urls.asset.baseUrl}/v0/businesses/${id}`, { headers: token ? { Authorization: bearer(token) } : {} });

  it('accepts only a token scoped to that business', async () => {
    const [mine, other] = sandbox.businesses.asset.allowed as [string, string];
    const token = (await requestToken({ business_id: mine })).json.access_token;
    const ok = await getBusiness(mine, token);
    expect(ok.status).toBe(200);
    expect(ok.json.id).toBe(mine);
    expect((await getBusiness(other, token)).status).toBe(403);
    const unscoped = (await requestToken()).json.access_token;
    expect((await getBusiness(mine, unscoped)).status).toBe(403);
  });

  it('answers 401 without a token and for a token minted for another resource', async () => {
    const mine = sandbox.businesses.asset.allowed[0]!;
    expect((await getBusiness(mine)).status).toBe(401);
    const elsewhere = (await requestToken({ business_id: mine, resource: 'https://api.example.com' })).json.access_token;
    const res = await getBusiness(mine, elsewhere);
    expect(res.status).toBe(401);
    expect(res.json).toEqual({ error: expect.any(String), data: null });
  });
});
