import {
  AbortError,
  AuthenticationError,
  ConfigurationError,
  createToken,
  FintokenError,
  InvalidRequestError,
  NetworkError,
  ProviderError,
  ResponseValidationError,
  TimeoutError,
  UnsupportedError,
  type TokenClient,
} from '@fintoken/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { businessTokenHandler, mapError, withToken } from '../src/index.js';
import { createBrowser, expectNoLeaks, expressVersions, listen, type RunningApp } from './helpers.js';

const SECRET = 'sk_live_this-must-never-be-printed';
const stubClient = (getToken: TokenClient['getToken']): TokenClient => ({ provider: 'stub', getToken });
const okClient = stubClient(async () => createToken({ accessToken: 'x', tokenType: 'Bearer', expiresAt: Date.now() + 60_000 }));

const allowB = (): string => 'b';

describe('construction', () => {
  it('requires authorize: there is no default that lets everyone through', () => {
    expect(() => businessTokenHandler({ client: okClient } as never)).toThrow(ConfigurationError);
    expect(() => businessTokenHandler({ client: okClient } as never)).toThrow(/authorize: is required/);
    expect(() => businessTokenHandler({ client: okClient, authorize: 'everyone' } as never)).toThrow(/authorize/);
  });

  it.each([
    ['a missing client', { authorize: allowB }, /client: is required/],
    ['a client without getToken', { client: { secret: SECRET }, authorize: allowB }, /client:/],
    ['a fractional sessionDuration', { client: okClient, authorize: allowB, sessionDuration: 1.5 }, /sessionDuration/],
    ['a rateLimit without max', { client: okClient, authorize: allowB, rateLimit: { windowMs: 1000 } }, /rateLimit: max/],
    ['a non-function request', { client: okClient, authorize: allowB, request: SECRET }, /request: /],
    ['no options at all', undefined, /options must be an object/],
  ])('rejects %s with a ConfigurationError naming the field, not its value', (_what, options, message) => {
    let error: unknown;
    try {
      businessTokenHandler(options as never);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(String((error as Error).message)).toMatch(message);
    expect(JSON.stringify(error)).not.toContain(SECRET);
    expect((error as Error).message).not.toContain(SECRET);
  });

  it.each([
    ['a missing client', {}, /client: is required/],
    ['an http apiUrl on a public host', { client: okClient, apiUrl: 'http://api.example.com' }, /apiUrl: must use https/],
    ['a relative apiUrl', { client: okClient, apiUrl: '/v1' }, /apiUrl: must be an absolute URL/],
  ])('withToken rejects %s', (_what, options, message) => {
    expect(() => withToken(options as never)).toThrow(ConfigurationError);
    expect(() => withToken(options as never)).toThrow(message);
  });

  it('accepts https and loopback http API URLs', () => {
    expect(() => withToken({ client: okClient, apiUrl: 'https://api.example.com/v1' })).not.toThrow();
    expect(() => withToken({ client: okClient, apiUrl: 'http://127.0.0.1:8080' })).not.toThrow();
  });
});

describe('mapError', () => {
  const provider = (status: number, extra: Record<string, unknown> = {}) => new ProviderError(`${SECRET} said ${status}`, { status, ...extra });
  it.each([
    ['provider 429 with Retry-After', provider(429, { retryAfterMs: 7000 }), 503, 7],
    ['provider 429 without Retry-After', provider(429), 503, 5],
    ['provider 500 with Retry-After', provider(500, { retryAfterMs: 1200 }), 503, 2],
    ['provider 503', provider(503), 503, 2],
    ['provider 408', provider(408), 503, 2],
    ['provider 429 asking for a day', provider(429, { retryAfterMs: 86_400_000 }), 503, 3600],
    ['provider 404', provider(404), 502, undefined],
    ['provider 500', provider(500), 502, undefined],
    ['bad credentials', new AuthenticationError(SECRET, { status: 401 }), 502, undefined],
    ['an invalid body', new ResponseValidationError(SECRET, { field: 'access_token' }), 502, undefined],
    ['a timeout', new TimeoutError(SECRET), 503, 2],
    ['a network error', new NetworkError(SECRET), 503, 2],
    ['an abort', new AbortError(SECRET), 503, 2],
    ['an unsupported request', new UnsupportedError(SECRET), 501, undefined],
    ['an invalid request', new InvalidRequestError(SECRET), 500, undefined],
    ['a configuration error', new ConfigurationError(SECRET), 500, undefined],
    ['a bare FintokenError', new FintokenError(SECRET), 500, undefined],
    ['a TypeError', new TypeError(SECRET), 500, undefined],
    ['a thrown string', SECRET, 500, undefined],
  ])('maps %s to %i', (_what, error, status, retryAfter) => {
    const mapped = mapError(error);
    expect(mapped.status).toBe(status);
    expect(mapped.retryAfter).toBe(retryAfter);
    expect(JSON.stringify(mapped)).not.toContain(SECRET);
  });
});

describe.each(expressVersions)('stub clients through the handler on $name', ({ express }) => {
  const browser = createBrowser();
  let app: RunningApp;
  const calls: unknown[] = [];

  beforeAll(async () => {
    const a = express();
    const unsupported = stubClient(() => Promise.reject(new UnsupportedError(`no business tokens (${SECRET})`)));
    // A client of your own that names its lifetime field, as fintoken's provider clients do.
    const recording: TokenClient = {
      ...stubClient(async (request) => {
        calls.push(request);
        return createToken({ accessToken: 'browser-token', tokenType: 'Bearer', expiresAt: 1_000_000 + 90_500 });
      }),
      businessTokens: { browser: true, lifetimeField: 'sessionDuration' },
    };
    const failing = stubClient(() => Promise.reject(new TypeError(`boom ${SECRET}`)));
    a.post('/unsupported', businessTokenHandler({ client: unsupported, authorize: () => 'biz_1' }));
    a.post('/failing', businessTokenHandler({ client: failing, authorize: () => 'biz_1' }));
    a.post(
      '/recording',
      businessTokenHandler({
        client: recording,
        authorize: async () => 'biz_1',
        lifetimeSeconds: 900,
        request: () => ({ scope: ['read'] }),
        now: () => 1_000_000,
      }),
    );
    app = await listen(a);
  });
  afterAll(async () => {
    await app.close();
    await browser.close();
  });

  it('answers 501 when the provider has no business tokens (UnsupportedError)', async () => {
    const res = await browser.send(`${app.url}/unsupported`);
    expect(res.status).toBe(501);
    expect(res.json).toEqual({ error: { code: 'not_implemented', message: expect.any(String) } });
  });

  it('answers 500 when the client throws something that is not a FintokenError', async () => {
    const res = await browser.send(`${app.url}/failing`);
    expect(res.status).toBe(500);
    expect(res.json).toEqual({ error: { code: 'internal_error', message: expect.any(String) } });
  });

  it("asks the client for { businessId, <its lifetime field>: lifetimeSeconds, ...request() }", async () => {
    const res = await browser.send(`${app.url}/recording`);
    expect(res.json).toEqual({ access_token: 'browser-token', token_type: 'Bearer', expires_in: 90, business_id: 'biz_1' });
    // `fresh`: inside the server's refresh window the browser gets the replacement (core TokenRequest).
    expect(calls).toEqual([{ businessId: 'biz_1', sessionDuration: 900, scope: ['read'], fresh: true }]);
  });

  it('leaks nothing of the errors', () => {
    expectNoLeaks(browser.seen, [SECRET], [], 3);
  });
});
