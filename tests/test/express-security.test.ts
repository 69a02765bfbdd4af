import { randomUUID } from 'node:crypto';
import { createAssetClient } from '@fintoken/asset';
import { decodeJwtClaims, type TokenClient } from '@fintoken/core';
import { businessTokenHandler, errorHandler, withToken, type BusinessTokenHandlerOptions } from '@fintoken/express';
import { createLayerClient } from '@fintoken/layer';
import { createLayer1Client } from '@fintoken/layer1';
import { startSandbox, type Sandbox } from '@fintoken/sandbox';
import { createThredfiClient } from '@fintoken/thredfi';
import express from 'express';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createBrowser, listen, type Seen } from './support/http.js';
import { LeakScanner } from './support/leaks.js';
import { MOCK_BUSINESS, MOCK_CREDENTIALS, MOCK_URLS, mockCanaries, PARENT_TOKEN } from './support/mockTargets.js';
import { createMockProvider } from './support/mockProvider.js';
import { sandboxCanaries } from './support/targets.js';
import { expectNoUnhandledRejections, trackUnhandledRejections } from './support/unhandled.js';

const rejections = trackUnhandledRejections();

let sandbox: Sandbox;
let app: { url: string; close(): Promise<void> };
const browser = createBrowser();
const scanner = new LeakScanner().add(...mockCanaries());
/** Every business token handed out: none may appear in a response that is not a success. */
const issued = new LeakScanner();

type Authorize = BusinessTokenHandlerOptions['authorize'];

// authorize results that are not "yes, this business": falsy (403), thrown/rejected or not a string (500).
const DENIALS: Array<[string, Authorize, number]> = [
  ['returns undefined', () => undefined, 403],
  ['returns null', () => null, 403],
  ['returns false', () => false, 403],
  ['returns an empty string', () => '', 403],
  ['returns 0', () => 0 as never, 403],
  ['returns NaN', () => Number.NaN as never, 403],
  ['resolves false', async () => false as const, 403],
  ['resolves undefined', async () => undefined, 403],
  ['throws', () => { throw new Error(`session store down (${MOCK_CREDENTIALS.layer.clientSecret})`); }, 500],
  ['rejects', async () => { throw new Error('nope'); }, 500],
  ['returns a rejected promise of a non-error', () => Promise.reject('just a string' as never), 500],
  ['returns true', () => true as never, 500],
  ['returns a number', () => 42 as never, 500],
  ['returns an object without a business id', () => ({ business: 'x' }) as never, 500],
  ['returns an object with an empty subject', () => ({ businessId: '0b7f9c4e-2d1a-4e8b-9c3f-5a6b7c8d9e0f', subject: '' }), 500],
  ['returns an array holding the id', () => ['0b7f9c4e-2d1a-4e8b-9c3f-5a6b7c8d9e0f'] as never, 500],
  ['returns a String object', () => new String('0b7f9c4e-2d1a-4e8b-9c3f-5a6b7c8d9e0f') as never, 500],
  ['returns a function', () => (() => 'id') as never, 500],
];

function expectNoStore(response: Seen): void {
  expect(response.headers['cache-control']).toBe('no-store');
  expect(response.headers.pragma).toBe('no-cache');
}

function expectNoToken(response: Seen): void {
  expectNoStore(response);
  expect(response.json?.access_token).toBeUndefined();
  expect(typeof response.json?.error?.code).toBe('string');
  expect(issued.find(response.text + JSON.stringify(response.headers))).toEqual([]);
}

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 'express-security' });
  scanner.add(...sandboxCanaries(sandbox));
  const s = sandbox;
  const retry = { attempts: 2, baseDelayMs: 5, maxDelayMs: 20, deadlineMs: 3_000 };
  const layerOf = () => createLayerClient({ ...s.credentials.layer, environment: 'sandbox', authUrl: s.urls.layer.authUrl, apiUrl: s.urls.layer.apiUrl, retry, timeoutMs: 400 });
  const clients: Record<string, [TokenClient, string]> = {
    layer: [layerOf(), s.businesses.layer.active[0]!],
    thredfi: [createThredfiClient({ ...s.credentials.thredfi, baseUrl: s.urls.thredfi.baseUrl, retry }), s.businesses.thredfi.owned[0]!],
    asset: [createAssetClient({ ...s.credentials.asset, environment: 'sandbox', baseUrl: s.urls.asset.baseUrl, retry }), s.businesses.asset.allowed[0]!],
  };
  // A provider that echoes the client secret, the Authorization header and the body in its errors.
  const echo = createMockProvider([new URL(MOCK_URLS.layerAuth).origin, MOCK_URLS.layerApi], (r) =>
    r.origin === MOCK_URLS.layerApi
      ? { status: 400, json: { type: 'InvalidParameters', description: `bad ${r.headers.authorization} ${MOCK_CREDENTIALS.layer.clientSecret} ${r.body}`, error_enum: 'InvalidPayload' } }
      : { status: 200, json: { access_token: PARENT_TOKEN, token_type: 'Bearer', expires_in: 3600 } },
  );

  const server = express();
  // Thredfi's business tokens are server-side ones (seed): handing them to a browser takes the opt-in.
  for (const [name, [client, business]] of Object.entries(clients)) server.all(`/ok/${name}`, businessTokenHandler({ client, authorize: () => business, allowServerOnlyTokens: name === 'thredfi' }));
  const denyClient = layerOf();
  DENIALS.forEach(([, authorize], i) => server.all(`/deny/${i}`, businessTokenHandler({ client: denyClient, authorize })));
  const faulty = layerOf();
  server.all('/fault', businessTokenHandler({ client: faulty, authorize: () => s.businesses.layer.active[1]! }));
  server.all('/unknown', businessTokenHandler({ client: clients.layer![0], authorize: () => randomUUID() }));
  server.all('/archived', businessTokenHandler({ client: clients.layer![0], authorize: () => s.businesses.layer.archived }));
  // Layer1 has no business tokens: its client says so (businessTokens: false), so the endpoint cannot even be
  // built for it. A hand-written client that hides that still gets a 501 from the provider's UnsupportedError.
  const layer1 = createLayer1Client({ clientId: s.credentials.layer1.clientId, clientSecret: s.credentials.layer1.clientSecret, tokenUrl: s.urls.layer1.tokenUrl });
  server.all('/layer1', businessTokenHandler({ client: { provider: 'layer1', getToken: (request) => layer1.getToken(request) }, authorize: () => 'any-business' }));
  const echoing = createLayerClient({ ...MOCK_CREDENTIALS.layer, environment: 'production', authUrl: MOCK_URLS.layerAuth, apiUrl: MOCK_URLS.layerApi, dispatcher: echo.agent });
  server.all('/echo', businessTokenHandler({ client: echoing, authorize: () => MOCK_BUSINESS.layer }));
  // Server-side use: withToken fails (the provider echoes secrets), errorHandler answers.
  server.get('/with-token', withToken({ client: echoing, request: () => ({ businessId: MOCK_BUSINESS.layer }) }), (_req: express.Request, res: express.Response) => void res.json({ reached: true }), errorHandler());
  server.all('/limited', businessTokenHandler({ client: clients.layer![0], authorize: () => s.businesses.layer.active[0]!, rateLimit: { windowMs: 60_000, max: 1 } }));
  app = await listen(server);

  // The server-side tokens: none may ever reach a browser.
  for (const [name, [client]] of Object.entries(clients)) scanner.add({ label: `${name} server token`, value: (await client.getToken()).accessToken });
});

beforeEach(() => {
  sandbox.faults.clear();
  sandbox.stats.reset();
});

afterAll(async () => {
  await app?.close();
  await browser.close();
  await sandbox?.close();
});

describe('businessTokenHandler: a token only for the authorized business', () => {
  it.each(['layer', 'thredfi', 'asset'])('%s: GET and POST answer with a token for that business, Cache-Control: no-store', async (name) => {
    for (const method of ['GET', 'POST']) {
      const response = await browser.send(`${app.url}/ok/${name}`, method);
      expect(response.status).toBe(200);
      expectNoStore(response);
      const { access_token, token_type, expires_in, business_id } = response.json!;
      expect(typeof access_token).toBe('string');
      expect(token_type).toBe('Bearer');
      expect(expires_in).toBeGreaterThan(0);
      expect(decodeJwtClaims(access_token)?.business_id).toBe(business_id);
      issued.add({ label: `${name} business token`, value: access_token });
    }
  });

  it.each(DENIALS.map((d, i) => [d[0], i, d[2]] as const))('never returns a token when authorize %s (%#)', async (_label, index, status) => {
    for (const method of ['GET', 'POST']) {
      const response = await browser.send(`${app.url}/deny/${index}`, method);
      expect(response.status).toBe(status);
      expectNoToken(response);
    }
    // Not even minted: nothing reached the provider.
    expect(sandbox.stats.count('layer.businessToken')).toBe(0);
    expect(sandbox.stats.count('layer.token')).toBe(0);
  });

  it.each(['PUT', 'DELETE', 'PATCH', 'OPTIONS'])('answers %s with 405 and Allow: GET, POST, without asking the provider', async (method) => {
    const response = await browser.send(`${app.url}/ok/layer`, method);
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe('GET, POST');
    expectNoToken(response);
    expect(sandbox.stats.count('layer.businessToken')).toBe(0);
  });
});

describe('businessTokenHandler errors: generic, no token, no-store', () => {
  it.each([
    ['a provider 500', { status: 500, times: Infinity }, 502],
    ['a provider 503', { status: 503, times: Infinity }, 503],
    ['a 429 with Retry-After', { status: 429, retryAfter: 7, times: Infinity }, 503],
    ['a hung provider', { hang: true, times: Infinity }, 503],
    ['dropped connections', { drop: true, times: Infinity }, 503],
    ['an HTML body', { body: 'html' as const, times: Infinity }, 502],
  ])('maps %s to %s', async (_label, fault, status) => {
    sandbox.faults.inject('layer.businessToken', fault);
    const response = await browser.send(`${app.url}/fault`);
    expect(response.status).toBe(status);
    expectNoToken(response);
    if (status === 503) expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
  });

  it.each([
    ['/unknown', 502],
    ['/archived', 502],
    ['/layer1', 501],
    ['/echo', 502],
    ['/with-token', 502],
  ])('answers %s with %s', async (path, status) => {
    const response = await browser.send(`${app.url}${path}`, path === '/with-token' ? 'GET' : 'POST');
    expect(response.status).toBe(status);
    expectNoToken(response);
  });

  it('answers a rate-limited caller with 429 and no-store', async () => {
    await browser.send(`${app.url}/limited`);
    const response = await browser.send(`${app.url}/limited`);
    expect(response.status).toBe(429);
    expectNoToken(response);
  });
});

describe('every response of this file', () => {
  it('sets no CORS header (a cross-site page can trigger a request but never read the token)', () => {
    expect(browser.seen.length).toBeGreaterThan(50);
    for (const response of browser.seen) expect(Object.keys(response.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
  });

  it('shows no client secret, API key or server-side token in a body or header', () => {
    expect(browser.seen.length).toBeGreaterThan(50);
    for (const [i, response] of browser.seen.entries()) scanner.scan(`response ${i} (${response.status})`, `${JSON.stringify(response.headers)}\n${response.text}`);
    scanner.expectClean();
  });
});

expectNoUnhandledRejections(rejections);
