import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../src/index.js';
import { basic, bearer, call, jsonHeaders, postForm, verifyWithJwks } from './helpers.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ seed: 'thredfi-tests' });
});
afterAll(() => sandbox.close());

const base = () => `${sandbox.urls.thredfi.baseUrl}/v1/platform`;
const partnerAuth = () => basic(sandbox.credentials.thredfi.partnerId, sandbox.credentials.thredfi.apiKey);
const requestPartnerToken = (authorization = partnerAuth(), path = '/oauth2/token/') =>
  postForm(`${base()}${path}`, { grant_type: 'client_credentials' }, authorization ? { Authorization: authorization } : {});
const partnerToken = async (): Promise<string> => (await requestPartnerToken()).json.access_token;
const requestBusinessToken = (businessId: string, authorization?: string, path = '/oauth2/token/') =>
  call(`${base()}/${businessId}${path}`, { method: 'POST', headers: authorization ? { Authorization: authorization } : {} });
const businessToken = async (businessId: string): Promise<string> =>
  (await requestBusinessToken(businessId, bearer(await partnerToken()))).json.access_token;
const customers = (businessId: string, token?: string, path = '/customers/') =>
  call(`${base()}/businesses/${businessId}${path}`, { headers: token ? { Authorization: bearer(token) } : {} });

const oauth2Error = { error: expect.any(String), error_description: expect.any(String) };

describe('Thredfi partner token: POST /thredfi/v1/platform/oauth2/token/', () => {
  it('issues a 24-hour partner token carrying partner_id', async () => {
    const res = await requestPartnerToken();
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.json).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 86400 });
    const claims = await verifyWithJwks(res.json.access_token, sandbox.jwks.thredfi, `${sandbox.url}/thredfi`);
    expect(claims).toMatchObject({ partner_id: sandbox.credentials.thredfi.partnerId });
    expect(claims.exp! - claims.iat!).toBe(86400);
  });

  it('answers a path without its trailing slash with 404 in the OAuth2ErrorResponse shape', async () => {
    const res = await requestPartnerToken(partnerAuth(), '/oauth2/token');
    expect(res.status).toBe(404);
    expect(res.json).toEqual(oauth2Error);
  });

  it.each([
    ['a wrong API key', () => basic(sandbox.credentials.thredfi.partnerId, 'sk_test_wrong')],
    ['no Authorization header', () => ''],
    ['a Bearer scheme', () => bearer('x')],
  ])('answers 401 invalid_client for %s', async (_name, authorization) => {
    const res = await requestPartnerToken(authorization());
    expect(res.status).toBe(401);
    expect(res.json).toEqual({ error: 'invalid_client', error_description: expect.any(String) });
  });

  it('answers 400 for a missing or unsupported grant_type and for a JSON body', async () => {
    const missing = await postForm(`${base()}/oauth2/token/`, {}, { Authorization: partnerAuth() });
    expect(missing.json.error).toBe('invalid_request');
    const unsupported = await postForm(`${base()}/oauth2/token/`, { grant_type: 'password' }, { Authorization: partnerAuth() });
    expect(unsupported.json.error).toBe('unsupported_grant_type');
    const asJson = await call(`${base()}/oauth2/token/`, {
      method: 'POST',
      headers: { ...jsonHeaders, Authorization: partnerAuth() },
      body: '{"grant_type":"client_credentials"}',
    });
    expect(asJson.status).toBe(400);
    expect(asJson.json.error).toBe('invalid_request');
  });
});

describe('Thredfi business token: POST /thredfi/v1/platform/{business_id}/oauth2/token/', () => {
  it('returns a BusinessTokenResponse for a business the partner owns', async () => {
    const businessId = sandbox.businesses.thredfi.owned[0]!;
    const res = await requestBusinessToken(businessId, bearer(await partnerToken()));
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.json).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 3600,
      scope: 'business_access',
      business_id: businessId,
    });
    const claims = await verifyWithJwks(res.json.access_token, sandbox.jwks.thredfi, `${sandbox.url}/thredfi`);
    expect(claims).toMatchObject({ business_id: businessId, partner_id: sandbox.credentials.thredfi.partnerId, scope: 'business_access' });
  });

  it('accepts the empty JSON body axios sends (seed JavaScript example)', async () => {
    const res = await call(`${base()}/${sandbox.businesses.thredfi.owned[1]}/oauth2/token/`, {
      method: 'POST',
      headers: { ...jsonHeaders, Authorization: bearer(await partnerToken()) },
      body: '{}',
    });
    expect(res.status).toBe(200);
  });

  it.each([
    ['no token', async () => undefined],
    ['a token that is not a JWT', async () => bearer('garbage')],
    ['Basic credentials', async () => partnerAuth()],
    ['a business-scoped token', async () => bearer(await businessToken(sandbox.businesses.thredfi.owned[0]!))],
  ])('answers 401 for %s', async (_name, authorization) => {
    const res = await requestBusinessToken(sandbox.businesses.thredfi.owned[0]!, await authorization());
    expect(res.status).toBe(401);
    expect(res.json).toEqual({ error: 'invalid_token', error_description: expect.any(String) });
  });

  it('answers 401 for an expired partner token', async () => {
    const token = await partnerToken();
    sandbox.clock.setSkewMs(86_401_000);
    try {
      const res = await requestBusinessToken(sandbox.businesses.thredfi.owned[0]!, bearer(token));
      expect(res.status).toBe(401);
    } finally {
      sandbox.clock.setSkewMs(0);
    }
  });

  it.each([
    ['another partner', () => sandbox.businesses.thredfi.foreign],
    ['nobody', () => '00000000-0000-4000-8000-000000000000'],
    ['a business id that is not a uuid', () => 'biz_123'],
  ])('answers 404 for a business of %s', async (_name, businessId) => {
    const res = await requestBusinessToken(businessId(), bearer(await partnerToken()));
    expect(res.status).toBe(404);
    expect(res.json).toEqual(oauth2Error);
  });

  it('answers 404 without the trailing slash', async () => {
    const res = await requestBusinessToken(sandbox.businesses.thredfi.owned[0]!, bearer(await partnerToken()), '/oauth2/token');
    expect(res.status).toBe(404);
  });

  it('honours tokenTtl.thredfiBusiness', async () => {
    const short = await startSandbox({ seed: 'thredfi-tests', tokenTtl: { thredfi: 600, thredfiBusiness: 120 } });
    try {
      const partner = await postForm(`${short.urls.thredfi.baseUrl}/v1/platform/oauth2/token/`, { grant_type: 'client_credentials' }, {
        Authorization: partnerAuth(),
      });
      expect(partner.json.expires_in).toBe(600);
      const res = await call(`${short.urls.thredfi.baseUrl}/v1/platform/${short.businesses.thredfi.owned[0]}/oauth2/token/`, {
        method: 'POST',
        headers: { Authorization: bearer(partner.json.access_token) },
      });
      expect(res.json.expires_in).toBe(120);
    } finally {
      await short.close();
    }
  });
});

describe('Thredfi business endpoint: GET /thredfi/v1/platform/businesses/{business_id}/customers/', () => {
  it('lists customers for a token scoped to that business', async () => {
    const businessId = sandbox.businesses.thredfi.owned[0]!;
    const res = await customers(businessId, await businessToken(businessId));
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ results: expect.any(Array), count: res.json.results.length });
  });

  it('answers 403 for a partner token and for another business token', async () => {
    const [mine, other] = sandbox.businesses.thredfi.owned as [string, string];
    const partner = await customers(mine, await partnerToken());
    expect(partner.status).toBe(403);
    expect(partner.json).toEqual({ error: 'insufficient_scope', error_description: expect.any(String) });
    expect((await customers(other, await businessToken(mine))).status).toBe(403);
  });

  it('answers 401 without a token and 404 without the trailing slash', async () => {
    const businessId = sandbox.businesses.thredfi.owned[0]!;
    expect((await customers(businessId)).status).toBe(401);
    const slashless = await customers(businessId, await businessToken(businessId), '/customers');
    expect(slashless.status).toBe(404);
    expect(slashless.json).toEqual(oauth2Error);
  });
});
