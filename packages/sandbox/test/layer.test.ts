import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../src/index.js';
import { basic, bearer, call, jsonHeaders, postForm, verifyWithJwks } from './helpers.js';

const sandboxScope = 'https://sandbox.layerfi.com/sandbox';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ seed: 'layer-tests' });
});
afterAll(() => sandbox.close());

const creds = () => sandbox.credentials.layer;
const auth = () => basic(creds().clientId, creds().clientSecret);
const tokenFields = (): Record<string, string | string[]> => ({ grant_type: 'client_credentials', scope: sandboxScope, client_id: creds().clientId });
const requestToken = (fields = tokenFields(), authorization = auth()) =>
  postForm(sandbox.urls.layer.authUrl, fields, authorization ? { Authorization: authorization } : {});

async function clientToken(): Promise<string> {
  return (await requestToken()).json.access_token;
}

function mintBusinessToken(
  token: string,
  businessId: string,
  body = '{"session_duration": 3600}',
  headers: Record<string, string> = jsonHeaders,
) {
  return call(`${sandbox.urls.layer.apiUrl}/v1/businesses/${businessId}/auth-token`, {
    method: 'POST',
    headers: { ...headers, Authorization: bearer(token) },
    body,
  });
}

describe('Layer auth server: POST /layer/oauth2/token', () => {
  it('issues a client token exactly as the seed shows, as a JWT verifiable with the JWKS', async () => {
    const res = await requestToken();
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(Object.keys(res.json).sort()).toEqual(['access_token', 'expires_in', 'token_type']);
    expect(res.json).toMatchObject({ expires_in: 3600, token_type: 'Bearer' });
    const claims = await verifyWithJwks(res.json.access_token, sandbox.jwks.layer, `${sandbox.url}/layer`);
    expect(claims).toMatchObject({ sub: creds().clientId, client_id: creds().clientId, scope: sandboxScope, aud: sandbox.urls.layer.apiUrl });
    expect(claims.exp! - claims.iat!).toBe(3600);
    expect(claims.jti).toEqual(expect.any(String));
    expect(claims.business_id).toBeUndefined();
  });

  it('gives every token a unique jti', async () => {
    const [a, b] = await Promise.all([clientToken(), clientToken()]);
    expect(decodeJwt(a).jti).not.toBe(decodeJwt(b).jti);
  });

  it.each([
    ['a wrong secret', () => basic(creds().clientId, 'wrong')],
    ['an unknown client', () => basic('someone-else', creds().clientSecret)],
    ['no Authorization header', () => ''],
    ['a Bearer scheme', () => bearer('token')],
    ['malformed Basic credentials', () => 'Basic !!!'],
  ])('rejects %s with 401 invalid_client and a Basic challenge', async (_name, authorization) => {
    const res = await requestToken(tokenFields(), authorization());
    expect(res.status).toBe(401);
    expect(res.json).toEqual({ error: 'invalid_client', error_description: expect.any(String) });
    expect(res.headers['www-authenticate']).toMatch(/^Basic/);
  });

  it('rejects credentials sent in the form instead of HTTP Basic', async () => {
    const res = await requestToken({ ...tokenFields(), client_secret: creds().clientSecret }, '');
    expect(res.status).toBe(401);
    expect(res.json.error).toBe('invalid_client');
  });

  it('rejects a second authentication method in the body (RFC 6749 §2.3)', async () => {
    const res = await requestToken({ ...tokenFields(), client_secret: creds().clientSecret });
    expect(res.status).toBe(400);
    expect(res.json.error).toBe('invalid_request');
  });

  it.each([
    ['grant_type is missing', { grant_type: undefined }, 'invalid_request'],
    ['grant_type is not client_credentials', { grant_type: 'password' }, 'unsupported_grant_type'],
    ['scope is missing', { scope: undefined }, 'invalid_request'],
    ['scope is the production scope', { scope: 'https://api.layerfi.com/production' }, 'invalid_scope'],
    ['client_id is missing', { client_id: undefined }, 'invalid_request'],
    ['client_id differs from the Basic user', { client_id: 'another' }, 'invalid_request'],
    ['a parameter is repeated', { grant_type: ['client_credentials', 'client_credentials'] }, 'invalid_request'],
  ])('answers 400 when %s', async (_name, change, error) => {
    const fields = Object.fromEntries(
      Object.entries({ ...tokenFields(), ...change }).filter((entry): entry is [string, string | string[]] => entry[1] !== undefined),
    );
    const res = await requestToken(fields);
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error, error_description: expect.any(String) });
  });

  it('rejects a JSON body where the seed documents a form', async () => {
    const res = await call(sandbox.urls.layer.authUrl, {
      method: 'POST',
      headers: { ...jsonHeaders, Authorization: auth() },
      body: JSON.stringify(tokenFields()),
    });
    expect(res.status).toBe(400);
    expect(res.json.error).toBe('invalid_request');
  });

  it('rejects the wrong method with 405 and Allow', async () => {
    const res = await call(sandbox.urls.layer.authUrl, { headers: { Authorization: auth() } });
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('POST');
    expect(res.json).toEqual({ error: 'invalid_request', error_description: expect.any(String) });
  });

  it('does not know the token path with a trailing slash', async () => {
    const res = await postForm(`${sandbox.urls.layer.authUrl}/`, tokenFields(), { Authorization: auth() });
    expect(res.status).toBe(404);
    expect(res.json.error).toEqual(expect.any(String));
  });

  it('requires the production scope when started for production', async () => {
    const production = await startSandbox({ layerEnvironment: 'production', seed: 'layer-tests' });
    try {
      const url = production.urls.layer.authUrl;
      const ok = await postForm(url, { ...tokenFields(), scope: 'https://api.layerfi.com/production' }, { Authorization: auth() });
      expect(ok.status).toBe(200);
      const wrong = await postForm(url, tokenFields(), { Authorization: auth() });
      expect(wrong.json.error).toBe('invalid_scope');
    } finally {
      await production.close();
    }
  });
});

describe('Layer API: GET /layer/whoami', () => {
  it('answers with the client name and id for a client token', async () => {
    const res = await call(`${sandbox.urls.layer.apiUrl}/whoami`, { headers: { Authorization: bearer(await clientToken()) } });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ data: { type: 'whoami', clientName: creds().clientName, clientId: creds().clientId } });
  });

  it.each([
    ['no token', undefined],
    ['a token that is not a JWT', bearer('nope')],
    ['Basic credentials', basic('a', 'b')],
  ])('answers 401 AuthFailure for %s', async (_name, authorization) => {
    const res = await call(`${sandbox.urls.layer.apiUrl}/whoami`, { headers: authorization ? { Authorization: authorization } : {} });
    expect(res.status).toBe(401);
    expect(res.json).toEqual({ type: 'AuthFailure', description: expect.any(String) });
  });

  it('refuses a token signed by another provider', async () => {
    const thredfi = sandbox.credentials.thredfi;
    const partner = await postForm(`${sandbox.urls.thredfi.baseUrl}/v1/platform/oauth2/token/`, { grant_type: 'client_credentials' }, {
      Authorization: basic(thredfi.partnerId, thredfi.apiKey),
    });
    const res = await call(`${sandbox.urls.layer.apiUrl}/whoami`, { headers: { Authorization: bearer(partner.json.access_token) } });
    expect(res.status).toBe(401);
  });
});

describe('Layer API: POST /layer/v1/businesses/{businessId}/auth-token', () => {
  it('returns an AuthToken whose JWT is scoped to the business', async () => {
    const businessId = sandbox.businesses.layer.active[0]!;
    const res = await mintBusinessToken(await clientToken(), businessId, '{"session_duration": 600}');
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(Object.keys(res.json).sort()).toEqual(['access_token', 'expires_in', 'token_type']);
    expect(res.json).toMatchObject({ expires_in: 600, token_type: 'Bearer' });
    const claims = await verifyWithJwks(res.json.access_token, sandbox.jwks.layer, `${sandbox.url}/layer`);
    expect(claims).toMatchObject({ business_id: businessId, client_id: creds().clientId });
    expect(claims.exp! - claims.iat!).toBe(600);
  });

  it.each([
    ['an empty object', '{}'],
    ['an empty body', ''],
    ['a null session_duration', '{"session_duration": null}'],
  ])('defaults session_duration to 3600 for %s', async (_name, body) => {
    const res = await mintBusinessToken(await clientToken(), sandbox.businesses.layer.active[1]!, body);
    expect(res.status).toBe(200);
    expect(res.json.expires_in).toBe(3600);
  });

  it('answers 404 ResourceNotFound for an unknown business', async () => {
    const res = await mintBusinessToken(await clientToken(), '00000000-0000-4000-8000-000000000000');
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ type: 'ResourceNotFound', description: expect.any(String), error_enum: 'SpecifiedIdNotFound' });
  });

  it('answers 404 ResourceArchived for an archived business', async () => {
    const res = await mintBusinessToken(await clientToken(), sandbox.businesses.layer.archived);
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ type: 'ResourceArchived', description: expect.any(String), error_enum: 'ResourceArchived' });
  });

  it.each([['0'], ['-5'], ['1.5'], ['"3600"'], ['true']])('answers 400 InvalidParameters for session_duration %s', async (value) => {
    const res = await mintBusinessToken(await clientToken(), sandbox.businesses.layer.active[0]!, `{"session_duration": ${value}}`);
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ type: 'InvalidParameters', description: expect.any(String), error_enum: 'InvalidPayload' });
  });

  it.each([
    ['a body that is not JSON', '{session_duration: 1', jsonHeaders],
    ['a JSON array', '[]', jsonHeaders],
    ['a form Content-Type', 'session_duration=3600', { 'Content-Type': 'application/x-www-form-urlencoded' }],
    ['no Content-Type', '{"session_duration": 3600}', {}],
  ])('answers 400 JsonSerialization for %s', async (_name, body, headers) => {
    const res = await mintBusinessToken(await clientToken(), sandbox.businesses.layer.active[0]!, body, headers);
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ type: 'JsonSerialization', description: expect.any(String), error_enum: 'InvalidPayload' });
  });

  it('answers 401 AuthFailure without a valid Bearer', async () => {
    const res = await mintBusinessToken('not-a-token', sandbox.businesses.layer.active[0]!);
    expect(res.status).toBe(401);
    expect(res.json).toEqual({ type: 'AuthFailure', description: expect.any(String) });
  });

  it('answers 401 AuthFailure once the client token has expired on the sandbox clock', async () => {
    const token = await clientToken();
    sandbox.clock.setSkewMs(3601_000);
    try {
      const res = await mintBusinessToken(token, sandbox.businesses.layer.active[0]!);
      expect(res.status).toBe(401);
      expect(res.json.description).toMatch(/expired/);
    } finally {
      sandbox.clock.setSkewMs(0);
    }
  });

  it('refuses a business token in place of the client token', async () => {
    const businessId = sandbox.businesses.layer.active[0]!;
    const businessToken = (await mintBusinessToken(await clientToken(), businessId)).json.access_token;
    const res = await mintBusinessToken(businessToken, businessId);
    expect(res.status).toBe(403);
    expect(res.json.type).toBe('AuthFailure');
  });

  it('answers 405 in the ApiError shape for the wrong method', async () => {
    const res = await call(`${sandbox.urls.layer.apiUrl}/v1/businesses/${sandbox.businesses.layer.active[0]}/auth-token`);
    expect(res.status).toBe(405);
    expect(res.json).toMatchObject({ type: 'BadRequest', error_enum: 'SpecifiedBadRequest' });
  });
});

describe('Layer API: GET /layer/v1/businesses/{businessId}', () => {
  const getBusiness = (id: string, token?: string) =>
    call(`${sandbox.urls.layer.apiUrl}/v1/businesses/${id}`, { headers: token ? { Authorization: bearer(token) } : {} });

  it('accepts a client token and a business token for that business only', async () => {
    const [mine, other] = sandbox.businesses.layer.active as [string, string];
    const client = await clientToken();
    const business = (await mintBusinessToken(client, mine)).json.access_token;
    expect((await getBusiness(mine, client)).json).toMatchObject({ data: { type: 'Business', id: mine } });
    expect((await getBusiness(mine, business)).status).toBe(200);
    const denied = await getBusiness(other, business);
    expect(denied.status).toBe(403);
    expect(denied.json.type).toBe('AuthFailure');
  });

  it('answers 401 without a token and 404 for unknown and archived businesses', async () => {
    expect((await getBusiness(sandbox.businesses.layer.active[0]!)).status).toBe(401);
    const client = await clientToken();
    expect((await getBusiness('00000000-0000-4000-8000-000000000000', client)).json.type).toBe('ResourceNotFound');
    expect((await getBusiness(sandbox.businesses.layer.archived, client)).json.type).toBe('ResourceArchived');
  });

  it('answers unknown API paths with a 404 ApiError', async () => {
    const res = await call(`${sandbox.urls.layer.apiUrl}/v1/nothing-here`);
    expect(res.status).toBe(404);
    expect(res.json).toMatchObject({ type: 'ResourceNotFound', error_enum: 'SpecifiedIdNotFound' });
  });
});
