import { InvalidRequestError, UnsupportedError, type TokenClient } from '@fintoken/core';
import { createLayerClient } from '@fintoken/layer';
import type { NextFunction, Request, Response } from 'express';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { errorHandler, withToken } from '../src/index.js';
import { expectNoLeaks, useSandboxSuite, expressVersions, listen, sessionUser, type RunningApp } from './helpers.js';

const suite = useSandboxSuite();
const { browser, serverTokens } = suite;

function layerClient(options: Record<string, unknown> = {}) {
  const { clientId, clientSecret } = suite.sb.credentials.layer;
  return serverTokens.track(
    createLayerClient({ clientId, clientSecret, environment: 'sandbox', authUrl: suite.sb.urls.layer.authUrl, apiUrl: suite.sb.urls.layer.apiUrl, ...options }),
  );
}

/** Express 4 does not forward a rejected promise to error middleware: routes pass it on themselves. */
const route =
  (fn: (req: Request, res: Response) => Promise<void>) =>
  (req: Request, res: Response, next: NextFunction): void => {
    fn(req, res).catch(next);
  };

describe.each(expressVersions)('withToken and errorHandler on $name', ({ express }) => {
  let app: RunningApp;
  let alice: string;
  let bob: string;
  const users = new Map<string, { businessId: string }>();
  const cookie = (user: string) => ({ cookie: `sid=${user}` });

  beforeAll(async () => {
    [alice, bob] = suite.sb.businesses.layer.active as [string, string];
    users.set('alice', { businessId: alice });
    const layer = layerClient();
    const faulty = layerClient({ retry: false });
    const businessOf = (req: Request) => sessionUser(req, users)?.businessId;
    const forUser = { request: (req: Request) => ({ businessId: businessOf(req) as string }) };
    // A plain TokenClient (no fetch of its own), as a custom provider would be.
    const plain: TokenClient = { provider: 'layer', getToken: (request) => layer.getToken(request) };

    const a = express();
    a.get(
      '/api/my-business',
      withToken({ client: layer, ...forUser }),
      route(async (req, res) => {
        const upstream = await req.fintoken!.fetch(`/v1/businesses/${businessOf(req)}`);
        res.json({ status: upstream.status, body: await upstream.json(), tokenBusiness: req.fintoken!.token.businessId });
      }),
    );
    a.get(
      '/api/other-business',
      withToken({ client: layer, ...forUser }),
      route(async (req, res) => {
        const upstream = await req.fintoken!.fetch(`/v1/businesses/${bob}`);
        await upstream.body?.cancel();
        res.json({ status: upstream.status });
      }),
    );
    a.get(
      '/api/whoami',
      withToken({ client: layer }),
      route(async (req, res) => {
        const upstream = await req.fintoken!.fetch('/whoami');
        res.json({ status: upstream.status, tokenBusiness: req.fintoken!.token.businessId ?? null });
      }),
    );
    a.get(
      '/api/plain-client',
      withToken({ client: plain, apiUrl: suite.sb.urls.layer.apiUrl, ...forUser }),
      route(async (req, res) => {
        const upstream = await req.fintoken!.fetch(`/v1/businesses/${businessOf(req)}`);
        await upstream.body?.cancel();
        res.json({ status: upstream.status });
      }),
    );
    a.get(
      '/api/plain-client-without-api-url',
      withToken({ client: plain, ...forUser }),
      route(async (req, res) => {
        await req.fintoken!.fetch(`${suite.sb.urls.layer.apiUrl}/v1/businesses/${businessOf(req)}`);
        res.json({ sent: true });
      }),
    );
    a.get('/api/faulty', withToken({ client: faulty, ...forUser }), (_req, res) => {
      res.json({ reached: true });
    });
    a.get('/api/unsupported', () => {
      throw new UnsupportedError('layer1 has no business tokens', { provider: 'layer1' });
    });
    a.get('/api/invalid', () => {
      throw new InvalidRequestError(`business id ${suite.sb.credentials.layer.clientSecret} is not a uuid`);
    });
    a.get('/api/foreign-error', () => {
      throw new Error('not ours');
    });
    a.use(errorHandler());
    // The application's own error handler, after ours: it must receive what is not a FintokenError.
    a.use((err: Error, _req: Request, res: Response, _next: NextFunction) => {
      res.status(418).json({ passedOn: err.message });
    });
    app = await listen(a);
  });
  afterAll(() => app.close());

  it('puts a business token and a fetch bound to it on req.fintoken', async () => {
    const res = await browser.send(`${app.url}/api/my-business`, { method: 'GET', headers: cookie('alice') });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: 200, body: { data: { type: 'Business', id: alice } }, tokenBusiness: alice });
  });

  it('refuses to fall back to the client token when request() names no business (500)', async () => {
    const res = await browser.send(`${app.url}/api/my-business`, { method: 'GET' });
    expect(res.status).toBe(500);
    expect(res.json).toEqual({ error: { code: 'internal_error', message: expect.any(String) } });
  });

  it('binds fetch to the request\'s business: another business is refused upstream', async () => {
    const res = await browser.send(`${app.url}/api/other-business`, { method: 'GET', headers: cookie('alice') });
    expect([401, 403]).toContain(res.json.status);
  });

  it('uses the client\'s own token when request is not given', async () => {
    const res = await browser.send(`${app.url}/api/whoami`, { method: 'GET' });
    expect(res.json).toEqual({ status: 200, tokenBusiness: null });
  });

  it('gives a plain TokenClient a minimal authorized fetch against apiUrl', async () => {
    const res = await browser.send(`${app.url}/api/plain-client`, { method: 'GET', headers: cookie('alice') });
    expect(res.json).toEqual({ status: 200 });
  });

  it('refuses to send a plain client\'s token anywhere without apiUrl (500 via errorHandler)', async () => {
    const res = await browser.send(`${app.url}/api/plain-client-without-api-url`, { method: 'GET', headers: cookie('alice') });
    expect(res.status).toBe(500);
    expect(res.json).toEqual({ error: { code: 'internal_error', message: expect.any(String) } });
  });

  it('passes a provider failure in withToken to errorHandler: 503 with Retry-After', async () => {
    suite.sb.faults.inject('layer.businessToken', { status: 429, retryAfter: 4 });
    const res = await browser.send(`${app.url}/api/faulty`, { method: 'GET', headers: cookie('alice') });
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('4');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.json).toEqual({ error: { code: 'provider_unavailable', message: expect.any(String) } });
  });

  it.each([
    ['/api/unsupported', 501, 'not_implemented'],
    ['/api/invalid', 500, 'internal_error'],
  ])('maps a FintokenError thrown in a route (%s) to %i', async (path, status, code) => {
    const res = await browser.send(`${app.url}${path}`, { method: 'GET' });
    expect(res.status).toBe(status);
    expect(res.json).toEqual({ error: { code, message: expect.any(String) } });
    expect(res.text).not.toMatch(/layer1|uuid/);
  });

  it('passes any other error on to the next error handler', async () => {
    const res = await browser.send(`${app.url}/api/foreign-error`, { method: 'GET' });
    expect(res.status).toBe(418);
    expect(res.json).toEqual({ passedOn: 'not ours' });
  });
});

it('leaks no secret or server-side token in any response of this file', () => {
  const { layer, thredfi, asset, layer1 } = suite.sb.credentials;
  expect(serverTokens.tokens.size).toBeGreaterThanOrEqual(2);
  expectNoLeaks(browser.seen, [layer.clientSecret, thredfi.apiKey, asset.clientSecret, layer1.clientSecret], serverTokens.tokens, 20);
});
