import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildCacheKey, ConfigurationError, InvalidRequestError, type CommonOptions, type FintokenEvent } from '../src/index.js';
import { commonOptionsShape, createProviderClient, fetchClientCredentialsToken, parseOptions, urlOption } from '../src/provider.js';
import { fakeClock, json, startServer, type TestServer } from './helpers.js';
import { pathOptions } from './transport.js';

const SECRET = 'sk_test_CANARY_secret_7d1e';
let server: TestServer;
let issued = 0;
let valid = new Set<string>();

beforeAll(async () => {
  server = await startServer((req, res) => {
    if (req.url === '/token') {
      issued += 1;
      const token = `opaque-token-${issued}-canary`;
      valid.add(token);
      return json(res, 200, { access_token: token, token_type: 'Bearer', expires_in: 3600 });
    }
    if (req.url?.startsWith('/api/')) {
      const auth = req.headers.authorization ?? '';
      const ok = valid.has(auth.replace(/^Bearer /, ''));
      return json(res, ok ? 200 : 401, ok ? { ok: true, body: req.body } : { error: 'invalid_token' });
    }
    json(res, 404, {});
  });
});
afterAll(() => server.close());

function makeClient(options: CommonOptions = {}) {
  return createProviderClient({
    provider: 'test',
    environment: 'sandbox',
    clientId: 'client-1',
    secrets: [SECRET],
    apiUrl: `${server.url}/api`,
    options: { retry: { baseDelayMs: 1 }, ...pathOptions(), ...options },
    validate: (request) => {
      if (request.businessId !== undefined && request.businessId.includes('/')) throw new InvalidRequestError('businessId: must not contain "/"');
    },
    fetchToken: (_request, { transport }) =>
      fetchClientCredentialsToken(
        { tokenUrl: `${server.url}/token`, clientId: 'client-1', clientSecret: SECRET, authMethod: 'client_secret_basic' },
        transport,
      ),
  });
}

describe('createProviderClient', () => {
  it('caches the default token and makes one request for 10,000 concurrent callers', async () => {
    const before = issued;
    const client = makeClient();
    const tokens = await Promise.all(Array.from({ length: 10_000 }, () => client.getToken()));
    expect(issued - before).toBe(1);
    expect(new Set(tokens.map((t) => t.accessToken)).size).toBe(1);
  });

  it('keys business tokens apart from the default token', async () => {
    const client = makeClient();
    const a = await client.getToken({ businessId: 'a' });
    const b = await client.getToken({ businessId: 'b' });
    const d = await client.getToken();
    expect(new Set([a.accessToken, b.accessToken, d.accessToken]).size).toBe(3);
    expect((await client.getToken({ businessId: 'a' })).accessToken).toBe(a.accessToken);
  });

  it("names each token's cache key as buildCacheKey does for its request (what events, stores and Redis see)", async () => {
    const keys: string[] = [];
    const client = makeClient({ onEvent: (event) => void (event.type === 'cache.miss' && keys.push(event.key ?? '(none)')) });
    const requests = [{}, { businessId: 'b 1:x=y' }, { scope: ' b  a a ' }, { businessId: 'é', resource: ['https://y', 'https://x'], scope: ['c'] }];
    for (const request of requests) await client.getToken(request);
    expect(keys).toEqual(requests.map((request) => buildCacheKey({ provider: 'test', environment: 'sandbox', clientId: 'client-1', ...request })));
    expect(keys[1]).toBe('test:sandbox:client-1:b=b%201%3Ax%3Dy');
  });

  it('validates requests before any network call', async () => {
    const before = server.requests.length;
    await expect(makeClient().getToken({ businessId: '../admin' })).rejects.toBeInstanceOf(InvalidRequestError);
    expect(server.requests.length).toBe(before);
  });

  it('fetch attaches the Bearer and resolves paths against the API URL', async () => {
    const client = makeClient();
    const ok = await client.fetch('/thing', { method: 'POST', body: 'hello' });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ ok: true, body: 'hello' });
  });

  it('fetch refreshes once on a 401 and retries with the new token', async () => {
    const client = makeClient();
    await client.getToken();
    valid = new Set(); // the provider revoked every token
    const before = issued;
    const res = await client.fetch('/thing');
    expect(res.status).toBe(200);
    expect(issued - before).toBe(1);
  });

  it('100 concurrent calls that all get a 401 make one token request', async () => {
    const client = makeClient();
    await client.getToken();
    valid = new Set();
    const before = issued;
    const responses = await Promise.all(Array.from({ length: 100 }, () => client.fetch('/thing')));
    expect(responses.every((r) => r.status === 200)).toBe(true);
    expect(issued - before).toBe(1);
  });

  it('returns the 401 when the body cannot be replayed', async () => {
    const client = makeClient();
    await client.getToken();
    valid = new Set();
    const body = new ReadableStream({ start: (c) => { c.enqueue(new TextEncoder().encode('x')); c.close(); } });
    const res = await client.fetch('/thing', { method: 'POST', body, duplex: 'half' } as never);
    expect(res.status).toBe(401);
  });

  it('refuses to send a token to another host', async () => {
    const client = makeClient();
    await expect(client.fetch('https://evil.example/steal')).rejects.toBeInstanceOf(InvalidRequestError);
    await expect(client.fetch(`${server.url}/token`)).rejects.toBeInstanceOf(InvalidRequestError);
  });

  it('never shows a secret or a token in inspect, JSON or events', async () => {
    const events: FintokenEvent[] = [];
    const client = makeClient({ onEvent: (e) => events.push(e) });
    const token = await client.getToken();
    await client.getToken();
    const outputs = [inspect(client, { depth: 10, showHidden: true }), JSON.stringify(client), String(client), inspect(token), JSON.stringify(token), JSON.stringify(events), inspect(events, { depth: 10 })];
    for (const text of outputs) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(token.accessToken);
    }
    expect(token.accessToken).toMatch(/^opaque-token-/);
  });

  it('refreshes ahead on an injected clock', async () => {
    const clock = fakeClock(Date.now());
    const client = makeClient({ now: clock });
    const first = await client.getToken();
    // 3,590 s after the 10 s margin; lead = 10 % = 359 s: the window opens at 3,231 s.
    clock.advance(3_240_000);
    expect((await client.getToken()).accessToken).toBe(first.accessToken);
    await new Promise((r) => setTimeout(r, 100));
    expect((await client.getToken()).accessToken).not.toBe(first.accessToken);
  });
});

describe('option validation', () => {
  const schema = z.object({ clientId: z.string().min(1), clientSecret: z.string().min(1), tokenUrl: urlOption(), ...commonOptionsShape }).strict();

  it('names every bad field and never echoes a value', () => {
    const error = (() => {
      try {
        parseOptions(schema, { clientSecret: 42, tokenUrl: `http://auth.example.com/${SECRET}`, timeoutMs: -1 }, 'createTestClient');
      } catch (e) {
        return e as ConfigurationError;
      }
    })();
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error?.code).toBe('ERR_CONFIGURATION');
    expect(error?.message).toContain('clientId: is required');
    expect(error?.message).toContain('clientSecret:');
    expect(error?.message).toContain('tokenUrl: must use https');
    expect(error?.message).toContain('timeoutMs:');
    expect(error?.message).not.toContain(SECRET);
  });

  it('accepts plain http on loopback only', () => {
    expect(() => parseOptions(schema, { clientId: 'a', clientSecret: 'b', tokenUrl: 'http://127.0.0.1:8080/token' }, 'x')).not.toThrow();
    expect(() => parseOptions(schema, { clientId: 'a', clientSecret: 'b', tokenUrl: 'http://localhost/token' }, 'x')).not.toThrow();
    expect(() => parseOptions(schema, { clientId: 'a', clientSecret: 'b', tokenUrl: 'http://10.0.0.1/token' }, 'x')).toThrow(/https/);
    expect(() => parseOptions(schema, { clientId: 'a', clientSecret: 'b', tokenUrl: 'https://user:pw@host/token' }, 'x')).toThrow(/credentials/);
  });
});

describe('requestJson and helpers', () => {
  it('validates an API answer and maps error statuses to typed errors, redacted', async () => {
    const { AuthenticationError: AuthError, ResponseValidationError: RVE } = await import('../src/index.js');
    const client = makeClient();
    const body = await client.requestJson('/thing', { schema: z.object({ ok: z.literal(true) }) });
    expect(body).toEqual({ ok: true });
    await expect(client.requestJson('/thing', { schema: z.object({ missing: z.string() }) })).rejects.toBeInstanceOf(RVE);
    valid = new Set();
    // Revoked tokens: the retry after a 401 also fails only if the provider keeps rejecting.
    const stubborn = createProviderClient({
      provider: 'test', environment: 'sandbox', clientId: 'c', secrets: [SECRET], apiUrl: `${server.url}/api`, options: pathOptions(),
      fetchToken: async () => (await import('../src/index.js')).createToken({ accessToken: `never-valid-${SECRET}`, tokenType: 'Bearer', expiresAt: Date.now() + 60_000 }),
    });
    const error = await stubborn.requestJson('/thing', { schema: z.object({}) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect(String((error as Error).message)).not.toContain(SECRET);
  });

  it('maps a refused connection to NetworkError', async () => {
    const { NetworkError } = await import('../src/index.js');
    const dead = await startServer();
    const url = dead.url;
    await dead.close();
    const client = createProviderClient({
      provider: 'test', environment: 'sandbox', clientId: 'c', secrets: [], apiUrl: url, options: pathOptions(),
      fetchToken: async () => (await import('../src/index.js')).createToken({ accessToken: 'x-token-123', tokenType: 'Bearer', expiresAt: Date.now() + 60_000 }),
    });
    await expect(client.fetch('/x')).rejects.toBeInstanceOf(NetworkError);
  });

  it('isUuid, joinUrl and parseRequest', async () => {
    const { isUuid, joinUrl, parseRequest } = await import('../src/provider.js');
    const { InvalidRequestError: IRE } = await import('../src/index.js');
    expect(isUuid('3c90c3cc-0d44-4b50-8888-8dd25736052a')).toBe(true);
    expect(isUuid('../3c90c3cc-0d44-4b50-8888-8dd25736052a')).toBe(false);
    expect(joinUrl('https://a.example/api/', '/v1/x')).toBe('https://a.example/api/v1/x');
    expect(() => parseRequest(z.object({ businessId: z.string().min(1) }), { businessId: '' }, 'getToken', 'test')).toThrow(IRE);
  });
});

describe('hostile callers (found by the reliability suite)', () => {
  it('rejects null, lone surrogates and fake signals with InvalidRequestError, sending nothing', async () => {
    const client = makeClient();
    const before = server.requests.length;
    for (const bad of [
      null,
      'x',
      [],
      { businessId: 'biz_\uD800' },
      { businessId: '' },
      { resource: 'https://api.example.com/\uDC00' },
      { scope: ['a', 7] },
      { scope: 7 },
      { resource: ['https://x', '\uD800'] },
      { signal: { aborted: false } },
      { forceRefresh: 'yes' },
      { rejectedToken: 1 },
      { fresh: 'no' },
    ]) {
      await expect(client.getToken(bad as never)).rejects.toBeInstanceOf(InvalidRequestError);
    }
    expect(server.requests.length).toBe(before);
  });

  it('an already-aborted signal starts no request and leaves no unhandled rejection', async () => {
    const client = makeClient();
    const before = server.requests.length;
    const controller = new AbortController();
    controller.abort();
    await expect(client.getToken({ businessId: 'fresh-business', signal: controller.signal })).rejects.toMatchObject({ code: 'ERR_ABORTED' });
    expect(server.requests.length).toBe(before);
  });

  it('refuses relative paths that climb out of the API URL', async () => {
    const client = makeClient();
    for (const path of ['/../token', '%2e%2e/token', 'v1/../../token', '../api-other/x']) {
      await expect(client.fetch(path)).rejects.toBeInstanceOf(InvalidRequestError);
    }
    expect((await client.fetch('v1/../thing')).status).toBe(200);
  });

  it('redacts the secret in every encoding a provider might echo', async () => {
    const secret = 'Odd+/=&% secret-canary';
    const basic = Buffer.from(`client-1:${secret}`).toString('base64');
    const form = new URLSearchParams({ s: secret }).toString().slice(2);
    const echo = await startServer((_req, res) =>
      json(res, 400, { error: 'invalid_request', error_description: `got ${basic} and ${form} and ${encodeURIComponent(secret)} and ${secret}` }),
    );
    const client = createProviderClient({
      provider: 'test', environment: 'sandbox', clientId: 'client-1', secrets: [secret], options: { retry: false, ...pathOptions() },
      fetchToken: (_r, { transport }) =>
        fetchClientCredentialsToken({ tokenUrl: `${echo.url}/token`, clientId: 'client-1', clientSecret: secret, authMethod: 'client_secret_post' }, transport),
    });
    const error = (await client.getToken().catch((e: unknown) => e)) as Error;
    await echo.close();
    expect(error.message).toContain('[REDACTED]');
    for (const form_ of [secret, basic, form, encodeURIComponent(secret)]) expect(error.message).not.toContain(form_);
  });
});
