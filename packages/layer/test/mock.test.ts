import { AuthenticationError, ProviderError, ResponseValidationError } from '@fintoken/core';
import { MockAgent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLayerClient, isLayerApiError, type LayerClientOptions } from '../src/index.js';

// What the sandbox cannot show: the bytes on the wire, the real default hosts, odd error bodies.
const clientId = '018f1657-dc66-7482-917b-c0c0e532f52b';
const clientSecret = 'mock-secret-Zk29xQ';
const businessId = '3c90c3cc-0d44-4b50-8888-8dd25736052a';
const CLIENT_TOKEN = 'eyJhbGciOiJub25lIn0.eyJjbGllbnQiOjF9.c2ln';

let agent: MockAgent;
beforeEach(() => {
  agent = new MockAgent();
  agent.disableNetConnect();
});
afterEach(() => agent.close());

interface Seen {
  headers: Record<string, string>;
  body: string;
  path: string;
}

function lowerHeaders(raw: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const entries = Array.isArray(raw) ? raw.reduce<[string, string][]>((acc, v, i, a) => (i % 2 ? acc : [...acc, [v, a[i + 1]]]), []) : Object.entries(raw as object);
  for (const [k, v] of entries) out[String(k).toLowerCase()] = String(v);
  return out;
}

/** Answer `times` requests to origin+path with `data(n)` (n counts from 1), recording each request. */
function record(origin: string, path: string, seen: Seen[], data: (n: number) => object, times = 1) {
  agent
    .get(origin)
    .intercept({ path, method: 'POST' })
    .reply((req) => {
      seen.push({ headers: lowerHeaders(req.headers), body: String(req.body), path: req.path });
      return { statusCode: 200, data: data(seen.length) };
    })
    .times(times);
}

const interceptToken = (origin: string, seen: Seen[]) =>
  record(origin, '/oauth2/token', seen, () => ({ access_token: CLIENT_TOKEN, expires_in: 3600, token_type: 'Bearer' }));

const authTokenPath = `/v1/businesses/${businessId}/auth-token`;
const businessToken = (n: number) => ({ access_token: `business-token-${n}`, expires_in: 3600, token_type: 'Bearer' });

/** The sandbox host's auth-token endpoint answers once with `status` and `body`. */
function answerAuthToken(status: number, body: object) {
  interceptToken('https://auth.layerfi.com', []);
  agent.get('https://sandbox.layerfi.com').intercept({ path: authTokenPath, method: 'POST' }).reply(status, body);
}

const client = (options: Partial<LayerClientOptions> = {}) =>
  createLayerClient({ clientId, clientSecret, environment: 'sandbox', dispatcher: agent, retry: false, ...options });

describe('on the wire', () => {
  it('sends exactly the seed curl for the client token', async () => {
    const seen: Seen[] = [];
    interceptToken('https://auth.layerfi.com', seen);
    await client().getToken();
    const [request] = seen;
    expect(request?.headers.authorization).toBe(`Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`);
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request?.body).toBe(`grant_type=client_credentials&scope=${encodeURIComponent('https://sandbox.layerfi.com/sandbox')}&client_id=${clientId}`);
  });

  it('uses the production scope and API host in production', async () => {
    const seen: Seen[] = [];
    interceptToken('https://auth.layerfi.com', seen);
    const api: Seen[] = [];
    record('https://api.layerfi.com', authTokenPath, api, businessToken);
    await client({ environment: 'production' }).getBusinessToken(businessId);
    expect(new URLSearchParams(seen[0]?.body).get('scope')).toBe('https://api.layerfi.com/production');
    expect(api).toHaveLength(1);
  });

  it('posts {} without a session duration and {"session_duration": n} with one, with the client Bearer', async () => {
    const seen: Seen[] = [];
    interceptToken('https://auth.layerfi.com', seen);
    const api: Seen[] = [];
    record('https://sandbox.layerfi.com', authTokenPath, api, businessToken, 2);
    const layer = client();
    await layer.getBusinessToken(businessId);
    await layer.getBusinessToken(businessId, { sessionDuration: 900 });
    expect(api.map((r) => r.body)).toEqual(['{}', '{"session_duration":900}']);
    expect(api[0]?.headers.authorization).toBe(`Bearer ${CLIENT_TOKEN}`);
    expect(api[0]?.headers['content-type']).toBe('application/json');
    expect(seen).toHaveLength(1);
  });

  it('appends paths to an apiUrl with a path prefix and a trailing slash', async () => {
    const seen: Seen[] = [];
    interceptToken('https://auth.layerfi.com', seen);
    agent
      .get('https://gateway.example.com')
      .intercept({ path: `/layer/v1/businesses/${businessId}/auth-token`, method: 'POST' })
      .reply(200, { access_token: 'business-token', expires_in: 60 });
    const token = await client({ apiUrl: 'https://gateway.example.com/layer/' }).getBusinessToken(businessId);
    expect(token.tokenType).toBe('Bearer');
  });
});

describe('error bodies', () => {
  it("maps the seed's 400 ApiError with its type and error_enum", async () => {
    answerAuthToken(400, { type: 'InvalidParameters', description: 'session_duration must be positive', error_enum: 'InvalidPayload', meta: null });
    const error = await client().getBusinessToken(businessId, { sessionDuration: 5 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ status: 400, type: 'InvalidParameters', errorEnum: 'InvalidPayload', providerCode: 'InvalidPayload' });
    expect(isLayerApiError(error)).toBe(true);
  });

  it('keeps an undocumented type on the error but the guard says false', async () => {
    answerAuthToken(409, { type: 'BrandNewType', description: 'new', error_enum: null });
    const error = await client().getBusinessToken(businessId).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 409, type: 'BrandNewType' });
    expect((error as ProviderError).errorEnum).toBeUndefined();
    expect(isLayerApiError(error)).toBe(false);
    expect(isLayerApiError(new Error('x'))).toBe(false);
  });

  it('maps a 5xx ApiError without error_enum and does not mistake AuthFailure for a server error', async () => {
    answerAuthToken(503, { type: 'Unknown', description: 'down' });
    const error = await client().getBusinessToken(businessId).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 503, type: 'Unknown', code: 'ERR_PROVIDER' });
    expect(isLayerApiError(error)).toBe(true);
  });

  it('treats a 403 AuthFailure as an AuthenticationError', async () => {
    answerAuthToken(403, { type: 'AuthFailure', description: 'not allowed' });
    const error = await client().getBusinessToken(businessId).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ status: 403, type: 'AuthFailure' });
  });

  it('reports an invalid whoami body by field', async () => {
    interceptToken('https://auth.layerfi.com', []);
    agent.get('https://sandbox.layerfi.com').intercept({ path: '/whoami', method: 'GET' }).reply(200, { data: { type: 'whoami', clientId } });
    const error = await client().whoami().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect(error).toMatchObject({ field: 'data.clientName' });
  });

  it('reports a non-JSON whoami body as (body)', async () => {
    interceptToken('https://auth.layerfi.com', []);
    agent.get('https://sandbox.layerfi.com').intercept({ path: '/whoami', method: 'GET' }).reply(200, '<html>');
    await expect(client().whoami()).rejects.toMatchObject({ code: 'ERR_RESPONSE_VALIDATION', field: '(body)' });
  });
});
