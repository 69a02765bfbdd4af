import { createServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  ConfigurationError,
  createAuthFetch,
  FintokenError,
  NetworkError,
  ProviderError,
  ResponseValidationError,
  TimeoutError,
  tokenProvider,
  type FintokenEvent,
} from '../src/index.js';
import { startAppServer, type AppServer, type TokenFault } from './support/appServer.js';
import { leaked } from './support/leaks.js';

let app: AppServer;
// Everything a user could log during this file; checked for secrets at the end.
const shown: unknown[] = [];
const onEvent = (event: FintokenEvent) => shown.push(event);

beforeAll(async () => {
  app = await startAppServer();
});
afterAll(async () => {
  await app?.close();
});
beforeEach(() => {
  app.reset();
});

/**
 * The error for a token endpoint answering `fault`. A real token is fetched first and the fault's
 * body echoes it, so an error that quoted the body, or kept a token, would show in `shown`.
 */
async function failure(fault: TokenFault): Promise<FintokenError> {
  const authFetch = createAuthFetch({ tokenUrl: `${app.url}/token`, origins: [app.url], onEvent });
  const real = (await authFetch.token()).accessToken;
  authFetch.clear();
  app.faults.push(echoing(fault, real));
  const error = await authFetch(`${app.url}/api/echo`).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FintokenError);
  shown.push(error);
  return error as FintokenError;
}

function echoing(fault: TokenFault, token: string): TokenFault {
  if ('raw' in fault) return { ...fault, raw: `${fault.raw} ${token}` };
  if ('status' in fault) return { ...fault, json: { error: 'token_unavailable', error_description: `rejected ${token}` } };
  const json = fault.json;
  return typeof json === 'object' && json !== null && !Array.isArray(json) ? { json: { leaked: token, ...json } } : fault;
}

describe('token endpoint failures', () => {
  it('a 500 is a ProviderError with the status', async () => {
    const error = await failure({ status: 500 });
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).not.toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ code: 'ERR_PROVIDER', status: 500 });
  });

  it('a 429 carries the Retry-After delay', async () => {
    const error = await failure({ status: 429, retryAfter: '7' });
    expect(error).toMatchObject({ code: 'ERR_PROVIDER', status: 429, retryAfterMs: 7_000 });
  });

  it.each([401, 403])('a %i is an AuthenticationError with the status', async (status) => {
    const error = await failure({ status });
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ code: 'ERR_AUTHENTICATION', status });
  });

  it('a body that is not JSON is a ResponseValidationError', async () => {
    const error = await failure({ raw: '<html>oops</html>', contentType: 'text/html' });
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect(error).toMatchObject({ code: 'ERR_RESPONSE_VALIDATION', field: '(body)', status: 200 });
  });

  it.each<[string, unknown, string]>([
    ['no access_token', { expires_in: 3600, token_type: 'Bearer' }, 'access_token'],
    ['an empty access_token', { access_token: '', expires_in: 3600 }, 'access_token'],
    ['expires_in as a string', { access_token: 'abcdefgh', expires_in: '3600' }, 'expires_in'],
    ['no expires_in', { access_token: 'abcdefgh' }, 'expires_in'],
    ['expires_in 0', { access_token: 'abcdefgh', expires_in: 0 }, 'expires_in'],
    ['another token_type', { access_token: 'abcdefgh', expires_in: 60, token_type: 'mac' }, 'token_type'],
    ['a numeric business_id', { access_token: 'abcdefgh', expires_in: 60, business_id: 7 }, 'business_id'],
    ['an array', [], 'access_token'],
    ['null', null, 'access_token'],
  ])('a response with %s is a ResponseValidationError naming the field', async (_name, json, field) => {
    const error = await failure({ json });
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect(error).toMatchObject({ field, status: 200 });
  });

  it('an unreachable endpoint is a NetworkError', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const { port: p } = s.address() as { port: number };
        s.close(() => resolve(p));
      });
    });
    const authFetch = createAuthFetch({ tokenUrl: `http://127.0.0.1:${port}/token`, onEvent });
    const error = await authFetch.token().catch((e: unknown) => e);
    shown.push(error);
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ code: 'ERR_NETWORK' });
  });

  it('gives up on a hung token endpoint after tokenTimeoutMs, then tries again on the next call', async () => {
    app.tokenDelayMs = 5_000;
    const authFetch = createAuthFetch({ tokenUrl: `${app.url}/token`, origins: [app.url], tokenTimeoutMs: 100, onEvent });
    const error = await authFetch(`${app.url}/api/echo`).catch((e: unknown) => e);
    shown.push(error);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ code: 'ERR_TIMEOUT' });
    app.tokenDelayMs = 0;
    expect((await authFetch(`${app.url}/api/echo`)).status).toBe(200);
  });

  it('an aborted caller stops waiting with an AbortError; the shared token request goes on', async () => {
    app.tokenDelayMs = 200;
    const authFetch = createAuthFetch({ tokenUrl: `${app.url}/token`, origins: [app.url] });
    const controller = new AbortController();
    const aborted = authFetch(`${app.url}/api/echo`, { signal: controller.signal }).catch((e: unknown) => e);
    const other = authFetch(`${app.url}/api/echo`);
    controller.abort();
    expect(await aborted).toMatchObject({ code: 'ERR_ABORTED' });
    expect((await other).status).toBe(200);
    expect(app.tokenRequests).toBe(1);
  });

  it('reports the failure as token.failed and does not cache it', async () => {
    const seen: FintokenEvent[] = [];
    const authFetch = createAuthFetch({ tokenUrl: `${app.url}/token`, origins: [app.url], onEvent: (e) => seen.push(e) });
    app.faults.push({ status: 503 });
    await expect(authFetch.token()).rejects.toMatchObject({ status: 503 });
    expect(seen.find((e) => e.type === 'token.failed')?.error).toMatchObject({ status: 503 });
    expect((await authFetch(`${app.url}/api/echo`)).status).toBe(200);
    expect(app.tokenRequests).toBe(2);
    shown.push(...seen);
  });

  it('a session that may not get a token (no cookie) is an AuthenticationError', async () => {
    app.sessionCookie = 'signed-in';
    const authFetch = createAuthFetch({ tokenUrl: `${app.url}/token`, origins: [app.url] });
    await expect(authFetch.token()).rejects.toBeInstanceOf(AuthenticationError);
    const withCookie = createAuthFetch({ tokenUrl: `${app.url}/token`, origins: [app.url], tokenRequestInit: { headers: { cookie: 'sid=signed-in' } } });
    expect((await withCookie.token()).accessToken).toBe(app.minted.at(-1));
  });
});

describe('options', () => {
  it.each([{}, { tokenUrl: '/t', getToken: async () => ({ access_token: 'x', expires_in: 1 }) }])(
    'needs exactly one of tokenUrl and getToken',
    (options) => {
      expect(() => createAuthFetch(options)).toThrow(ConfigurationError);
    },
  );

  it('rejects a negative refreshAheadMs', () => {
    expect(() => createAuthFetch({ tokenUrl: '/t', refreshAheadMs: -1 })).toThrow(ConfigurationError);
  });

  it('takes a getToken returning a token response, validated like the endpoint', async () => {
    let calls = 0;
    const authFetch = createAuthFetch({
      getToken: async () => {
        calls += 1;
        const response = await fetch(`${app.url}/token`, { method: 'POST' });
        return (await response.json()) as { access_token: string; expires_in: number };
      },
      origins: [app.url],
    });
    const responses = await Promise.all(Array.from({ length: 10 }, () => authFetch(`${app.url}/api/echo`)));
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(calls).toBe(1);
    expect((await authFetch.token()).businessId).toBe(app.businessId);
    const invalid = createAuthFetch({ getToken: async () => ({ access_token: 'abcdefgh' }) as never });
    await expect(invalid.token()).rejects.toMatchObject({ field: 'expires_in' });
  });

  it('takes a getToken returning a core Token', async () => {
    const authFetch = createAuthFetch({
      getToken: async () => ({ accessToken: 'core-token-value', tokenType: 'Bearer', expiresAt: Date.now() + 60_000 }),
    });
    const token = await authFetch.token();
    expect(token.accessToken).toBe('core-token-value');
    expect(JSON.stringify(token)).not.toContain('core-token-value');
  });
});

describe('tokenProvider', () => {
  it('gives UI kits the token of an existing authFetch, sharing its cache', async () => {
    const authFetch = createAuthFetch({ tokenUrl: `${app.url}/token`, origins: [app.url] });
    const provider = tokenProvider(authFetch);
    const [a, b] = await Promise.all([provider(), authFetch(`${app.url}/api/echo`)]);
    expect(a).toBe(app.minted.at(-1));
    expect(b.status).toBe(200);
    expect(app.tokenRequests).toBe(1);
  });

  it('builds its own authFetch from options', async () => {
    const provider = tokenProvider({ tokenUrl: `${app.url}/token` });
    expect(await provider()).toBe(app.minted.at(-1));
    expect(await provider()).toBe(app.minted.at(-1));
    expect(app.tokenRequests).toBe(1);
  });
});

describe('secrets', () => {
  it('no token or secret appears in any error or event of this file', () => {
    expect(shown.length).toBeGreaterThan(10);
    expect(app.secrets().length).toBeGreaterThan(5);
    expect(leaked(shown, app.secrets())).toEqual([]);
  });
});
