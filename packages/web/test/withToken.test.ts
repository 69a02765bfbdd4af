import { InvalidRequestError, UnsupportedError, type TokenClient } from '@fintoken/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withToken } from '../src/index.js';
import { expectNoLeaks, sessionUser, useSandboxSuite } from './support/http.js';
import { byPath, serveFetch, type RunningServer } from './support/serve.js';

const suite = useSandboxSuite();
const { browser, serverTokens } = suite;

describe('withToken on a Fetch-API server', () => {
  let server: RunningServer;
  let alice: string;
  let bob: string;
  const users = new Map<string, { businessId: string }>();
  const get = (path: string, user?: string) => browser.send(`${server.url}${path}`, { method: 'GET', headers: user === undefined ? {} : { cookie: `sid=${user}` } });

  beforeAll(async () => {
    [alice, bob] = suite.sb.businesses.layer.active as [string, string];
    users.set('alice', { businessId: alice });
    const { clientSecret } = suite.sb.credentials.layer;
    const { layerClient } = suite;
    const layer = layerClient();
    const businessOf = (request: Request) => sessionUser(request.headers, users)?.businessId;
    const forUser = { request: (request: Request) => ({ businessId: businessOf(request) as string }) };
    // A plain TokenClient (no fetch of its own), as a custom provider would be.
    const plain: TokenClient = { provider: 'layer', getToken: (request) => layer.getToken(request) };

    server = await serveFetch(
      byPath({
        '/my-business': withToken({ client: layer, ...forUser }, async (request, { token, fetch }) => {
          const upstream = await fetch(`/v1/businesses/${businessOf(request)}`);
          return Response.json({ status: upstream.status, body: await upstream.json(), tokenBusiness: token.businessId });
        }),
        '/other-business': withToken({ client: layer, ...forUser }, async (_request, { fetch }) => {
          const upstream = await fetch(`/v1/businesses/${bob}`);
          await upstream.body?.cancel();
          return Response.json({ status: upstream.status });
        }),
        '/whoami': withToken({ client: layer }, async (_request, { token, fetch }) => {
          const upstream = await fetch('/whoami');
          await upstream.body?.cancel();
          return Response.json({ status: upstream.status, tokenBusiness: token.businessId ?? null });
        }),
        '/plain-client': withToken({ client: plain, apiUrl: suite.sb.urls.layer.apiUrl, ...forUser }, async (request, { fetch }) => {
          const upstream = await fetch(`/v1/businesses/${businessOf(request)}`);
          await upstream.body?.cancel();
          return Response.json({ status: upstream.status });
        }),
        '/plain-client-without-api-url': withToken({ client: plain, ...forUser }, async (request, { fetch }) => {
          await fetch(`${suite.sb.urls.layer.apiUrl}/v1/businesses/${businessOf(request)}`);
          return Response.json({ sent: true });
        }),
        '/faulty': withToken({ client: layerClient({ retry: false }), ...forUser }, () => Response.json({ reached: true })),
        '/unsupported': withToken({ client: layer }, () => {
          throw new UnsupportedError('layer1 has no business tokens', { provider: 'layer1' });
        }),
        '/invalid': withToken({ client: layer }, () => {
          throw new InvalidRequestError(`business id ${clientSecret} is not a uuid`);
        }),
      }),
    );
  });
  afterAll(() => server.close());

  it('hands the handler a business token and a fetch bound to it', async () => {
    const res = await get('/my-business', 'alice');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: 200, body: { data: { type: 'Business', id: alice } }, tokenBusiness: alice });
  });

  it('refuses to fall back to the client token when request() names no business (500)', async () => {
    const res = await get('/my-business');
    expect(res.status).toBe(500);
    expect(res.json).toEqual({ error: { code: 'internal_error', message: expect.any(String) } });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it("binds fetch to the request's business: another business is refused upstream", async () => {
    const res = await get('/other-business', 'alice');
    expect([401, 403]).toContain(res.json.status);
  });

  it("uses the client's own token when request is not given", async () => {
    expect((await get('/whoami')).json).toEqual({ status: 200, tokenBusiness: null });
  });

  it('gives a plain TokenClient a minimal authorized fetch against apiUrl', async () => {
    expect((await get('/plain-client', 'alice')).json).toEqual({ status: 200 });
  });

  it("refuses to send a plain client's token anywhere without apiUrl (500)", async () => {
    const res = await get('/plain-client-without-api-url', 'alice');
    expect(res.status).toBe(500);
    expect(res.json).toEqual({ error: { code: 'internal_error', message: expect.any(String) } });
  });

  it('answers a provider failure with 503 + Retry-After without running the handler', async () => {
    suite.sb.faults.inject('layer.businessToken', { status: 429, retryAfter: 4 });
    const res = await get('/faulty', 'alice');
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('4');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.json).toEqual({ error: { code: 'provider_unavailable', message: expect.any(String) } });
  });

  it.each([
    ['/unsupported', 501, 'not_implemented'],
    ['/invalid', 500, 'internal_error'],
  ])('maps a FintokenError thrown by the handler (%s) to %i', async (path, status, code) => {
    const res = await get(path);
    expect(res.status).toBe(status);
    expect(res.json).toEqual({ error: { code, message: expect.any(String) } });
    expect(res.text).not.toMatch(/layer1|uuid/);
  });
});

describe('withToken called directly', () => {
  const client: TokenClient = { provider: 'stub', getToken: async () => ({ accessToken: 'tok', tokenType: 'Bearer', expiresAt: Date.now() + 60_000 }) };

  it("passes the route's further arguments through (Next.js's { params }, Deno's info)", async () => {
    const handler = withToken({ client }, (_request, { token }, context: { params: { id: string } }) =>
      Response.json({ id: context.params.id, type: token.tokenType }),
    );
    const response = await handler(new Request('https://app.example/x'), { params: { id: '42' } });
    expect(await response.json()).toEqual({ id: '42', type: 'Bearer' });
  });

  it('rethrows an error that is not a FintokenError to the framework', async () => {
    const handler = withToken({ client }, () => {
      throw new TypeError('a bug in the route');
    });
    await expect(handler(new Request('https://app.example/x'))).rejects.toThrow('a bug in the route');
  });
});

it('leaks no secret or server-side token in any response of this file', () => {
  const { layer } = suite.sb.credentials;
  expect(serverTokens.tokens.size).toBeGreaterThanOrEqual(1);
  expectNoLeaks(browser.seen, [layer.clientSecret], serverTokens.tokens, 9);
});
