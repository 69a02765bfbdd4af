import { ResponseValidationError } from '@fintoken/core';
import { MockAgent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { createThredfiClient } from '../src/index.js';

// States the sandbox will not produce: wire details, a token for the wrong business, odd bodies.
const partnerId = '123e4567-e89b-12d3-a456-426614174000';
const apiKey = 'sk_live_abc123xyz789';
const business = '456e7890-e89b-12d3-a456-426614174111';
const origin = 'https://sandbox.thredfi.com';

const agents: MockAgent[] = [];
afterEach(async () => {
  await Promise.all(agents.splice(0).map((a) => a.close()));
});

function offline(): MockAgent {
  const agent = new MockAgent();
  agent.disableNetConnect();
  agents.push(agent);
  return agent;
}

const partnerTokenReply = { access_token: 'partner-token-0001', token_type: 'Bearer', expires_in: 86400 };

function businessReply(overrides: Record<string, unknown>) {
  return { access_token: 'business-token-0001', token_type: 'Bearer', expires_in: 3600, scope: 'business_access', business_id: business, ...overrides };
}

describe('requests on the wire', () => {
  it('follows the seed: Basic partner_uuid:api_key, grant_type form, trailing slashes, Bearer and no body for step 2', async () => {
    const agent = offline();
    const pool = agent.get(origin);
    const captured: { path: string; headers: unknown; body: unknown }[] = [];
    pool
      .intercept({ path: '/v1/platform/oauth2/token/', method: 'POST' })
      .reply((opts) => (captured.push({ path: opts.path, headers: opts.headers, body: opts.body }), { statusCode: 200, data: partnerTokenReply }));
    pool
      .intercept({ path: `/v1/platform/${business}/oauth2/token/`, method: 'POST' })
      .reply((opts) => (captured.push({ path: opts.path, headers: opts.headers, body: opts.body }), { statusCode: 200, data: businessReply({}) }));
    await createThredfiClient({ partnerId, apiKey, dispatcher: agent }).getBusinessToken(business);
    const [step1, step2] = captured;
    const header = (h: unknown, name: string) => new Headers(h as Record<string, string>).get(name);
    expect(header(step1?.headers, 'authorization')).toBe(`Basic ${Buffer.from(`${partnerId}:${apiKey}`).toString('base64')}`);
    expect(step1?.body).toBe('grant_type=client_credentials');
    expect(header(step2?.headers, 'authorization')).toBe('Bearer partner-token-0001');
    expect(step2?.body ?? null).toBeNull();
  });
});

describe('business_id in the answer', () => {
  it('raises ResponseValidationError(business_id) when Thredfi scopes the token to another business, and caches nothing', async () => {
    const agent = offline();
    const pool = agent.get(origin);
    pool.intercept({ path: '/v1/platform/oauth2/token/', method: 'POST' }).reply(200, partnerTokenReply);
    const step2 = { path: `/v1/platform/${business}/oauth2/token/`, method: 'POST' };
    pool.intercept(step2).reply(200, businessReply({ business_id: '3c90c3cc-0d44-4b50-8888-8dd25736052a' }));
    pool.intercept(step2).reply(200, businessReply({ access_token: 'business-token-0002' }));
    const client = createThredfiClient({ partnerId, apiKey, dispatcher: agent, retry: false });
    const mismatch = await client.getBusinessToken(business).catch((error: unknown) => error);
    expect(mismatch).toBeInstanceOf(ResponseValidationError);
    expect(mismatch).toMatchObject({ field: 'business_id', provider: 'thredfi' });
    // Nothing was cached: the next call asks again and gets the right token.
    const right = await client.getBusinessToken(business);
    expect(right).toMatchObject({ accessToken: 'business-token-0002', businessId: business });
  });

  it.each([
    ['business_id', { business_id: undefined }],
    ['scope', { scope: undefined }],
    ['expires_in', { expires_in: '3600' }],
    ['access_token', { access_token: '' }],
  ])('rejects a BusinessTokenResponse with a bad %s', async (field, overrides) => {
    const agent = offline();
    const pool = agent.get(origin);
    pool.intercept({ path: '/v1/platform/oauth2/token/', method: 'POST' }).reply(200, partnerTokenReply);
    pool.intercept({ path: `/v1/platform/${business}/oauth2/token/`, method: 'POST' }).reply(200, businessReply(overrides));
    const error = await createThredfiClient({ partnerId, apiKey, dispatcher: agent, retry: false }).getBusinessToken(business).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect((error as ResponseValidationError).field).toBe(field);
  });

  it('defaults token_type to Bearer when the answer leaves it out', async () => {
    const agent = offline();
    const pool = agent.get(origin);
    pool.intercept({ path: '/v1/platform/oauth2/token/', method: 'POST' }).reply(200, partnerTokenReply);
    pool.intercept({ path: `/v1/platform/${business}/oauth2/token/`, method: 'POST' }).reply(200, businessReply({ token_type: undefined }));
    const token = await createThredfiClient({ partnerId, apiKey, dispatcher: agent }).getBusinessToken(business);
    expect(token.tokenType).toBe('Bearer');
  });

  it('maps a 500 OAuth2ErrorResponse to a retryable ProviderError', async () => {
    const agent = offline();
    const pool = agent.get(origin);
    pool.intercept({ path: '/v1/platform/oauth2/token/', method: 'POST' }).reply(200, partnerTokenReply);
    pool.intercept({ path: `/v1/platform/${business}/oauth2/token/`, method: 'POST' }).reply(500, { error: 'server_error', error_description: 'boom' });
    const error = await createThredfiClient({ partnerId, apiKey, dispatcher: agent, retry: false }).getBusinessToken(business).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_PROVIDER', status: 500, providerCode: 'server_error' });
  });
});
