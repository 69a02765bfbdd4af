import { AuthenticationError, ProviderError, ResponseValidationError, type FintokenEvent } from '@fintoken/core';
import { MockAgent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { createAssetClient, type AssetClientOptions } from '../src/index.js';

// Responses no honest server sends: echoed secrets, durations instead of unix times, far-off clocks.
const ORIGIN = 'https://api.sandbox.getasset.com';
const SECRET = 'sk_sandbox_9f8e7d6c5b4a39281706';
const T = 1_800_000_000_000; // a whole second, so a Date header carries it exactly

let agent: MockAgent;
afterEach(() => agent.close());

function mocked(overrides: Partial<AssetClientOptions> = {}) {
  agent = new MockAgent();
  agent.disableNetConnect();
  const events: FintokenEvent[] = [];
  const client = createAssetClient({
    clientId: 'client_abc',
    clientSecret: SECRET,
    environment: 'sandbox',
    dispatcher: agent,
    retry: false,
    now: () => T,
    onEvent: (e) => events.push(e),
    ...overrides,
  });
  return { client, events, pool: agent.get(ORIGIN) };
}

const json = { 'content-type': 'application/json' };

describe('Asset request shape (MockAgent)', () => {
  it('POSTs the seed form to {baseUrl}/v0/auth/token: credentials, business_id, expires_in, scope, repeated resource', async () => {
    const { client, pool } = mocked({ scope: 'ledger:read' });
    let form = new URLSearchParams();
    let contentType: unknown;
    pool
      .intercept({
        path: '/v0/auth/token',
        method: 'POST',
        headers: (h) => ((contentType = h['content-type']), true),
        body: (b) => ((form = new URLSearchParams(b)), true),
      })
      .reply(200, { access_token: 'opaque-token-1', token_type: 'Bearer', expires_in: T / 1000 + 3600 }, { headers: json });
    const token = await client.getToken({ businessId: 'biz_1', expiresIn: 600, resource: ['https://b.example', 'https://a.example'] });
    expect(contentType).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(form)).toMatchObject({
      client_id: 'client_abc',
      client_secret: SECRET,
      grant_type: 'client_credentials',
      business_id: 'biz_1',
      expires_in: '600',
      scope: 'ledger:read',
    });
    expect(form.getAll('resource')).toEqual(['https://a.example', 'https://b.example']);
    expect(token).toMatchObject({ businessId: 'biz_1', tokenType: 'Bearer', expiresAt: T + 3_590_000 });
  });
});

describe('Asset expiry (MockAgent)', () => {
  it('an expires_in that looks like a duration is treated as one and reported by token.expiry_adjusted', async () => {
    const { client, pool, events } = mocked();
    pool.intercept({ path: '/v0/auth/token', method: 'POST' }).reply(200, { access_token: 'opaque', expires_in: 3600 }, { headers: json });
    const token = await client.getToken();
    expect(token.expiresAt).toBe(T + 3_590_000);
    const adjusted = events.find((e) => e.type === 'token.expiry_adjusted');
    expect(adjusted).toMatchObject({ provider: 'asset', reason: 'absolute-looked-like-duration', expiresAt: T + 3_590_000 });
  });

  it.each([
    ['2 hours ahead', 7_200_000],
    ['2 hours behind', -7_200_000],
  ])('a Date header %s of the local clock leaves the local lifetime intact', async (_label, skew) => {
    const { client, pool, events } = mocked();
    const serverNow = T + skew;
    pool
      .intercept({ path: '/v0/auth/token', method: 'POST' })
      .reply(200, { access_token: 'opaque', expires_in: serverNow / 1000 + 3600 }, { headers: { ...json, date: new Date(serverNow).toUTCString() } });
    expect((await client.getToken()).expiresAt).toBe(T + 3_590_000);
    expect(events.some((e) => e.type === 'token.expiry_adjusted')).toBe(false);
  });

  it('a body without the required expires_in -> ResponseValidationError naming it', async () => {
    const { client, pool } = mocked();
    pool.intercept({ path: '/v0/auth/token', method: 'POST' }).reply(200, { access_token: 'opaque' }, { headers: json });
    await expect(client.getToken()).rejects.toMatchObject({ constructor: ResponseValidationError, field: 'expires_in' });
  });
});

describe('Asset error bodies (MockAgent)', () => {
  const fail = async (status: number, body: unknown) => {
    const { client, pool } = mocked();
    pool.intercept({ path: '/v0/auth/token', method: 'POST' }).reply(status, body as object, { headers: json });
    return client.getToken().then(
      () => expect.fail('expected a provider error'),
      (e: unknown) => e as ProviderError,
    );
  };

  it('an error echoing the client secret is redacted, and data is never copied', async () => {
    const error = await fail(401, { error: `client_secret ${SECRET} is wrong`, data: { client_secret: SECRET, note: 'echo-marker' } });
    expect(error).toBeInstanceOf(AuthenticationError);
    const seen = `${error.message} ${JSON.stringify(error)} ${error.stack ?? ''}`;
    expect(seen).not.toContain(SECRET);
    expect(seen).not.toContain('echo-marker');
    expect(error.message).toContain('client_secret [REDACTED] is wrong');
  });

  it('a code-like error becomes providerCode; a sentence stays in the message', async () => {
    expect(await fail(404, { error: 'business_not_found', data: null })).toMatchObject({ status: 404, providerCode: 'business_not_found' });
    const sentence = await fail(403, { error: 'Client may not act for this business', data: { business_id: 'biz_x' } });
    expect(sentence.providerCode).toBeUndefined();
    expect(sentence.message).toContain('Client may not act for this business');
    expect(sentence).not.toBeInstanceOf(AuthenticationError);
  });

  it('a FastAPI 422 keeps the field names and drops the echoed input', async () => {
    const error = await fail(422, {
      error: 'Request validation failed',
      data: [
        { loc: ['body', 'expires_in'], msg: 'Input should be greater than 0', type: 'greater_than', input: SECRET },
        { loc: ['body', 'resource', 1], msg: 'Must be an absolute URI', type: 'value_error', input: 'https://x#y' },
      ],
    });
    expect(error).toMatchObject({ code: 'ERR_PROVIDER', status: 422 });
    expect(error.message).toContain('Request validation failed (fields: expires_in, resource.1)');
    expect(error.message).not.toContain(SECRET);
    expect(error.message).not.toContain('https://x#y');
  });
});
