import { createLayerClient } from '@fintoken/layer';
import { ProviderError, REJECTED_TOKEN_HEADER, tokenFingerprint } from '@fintoken/core';
import { request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { businessTokenHandler } from '../src/index.js';
import { createClock, expectNoLeaks, useSandboxSuite, expressVersions, listen, sessionUser, type RunningApp } from './helpers.js';

const suite = useSandboxSuite();
const { browser, serverTokens } = suite;

function layerClient(options: Record<string, unknown> = {}) {
  return serverTokens.track(
    createLayerClient({
      clientId: suite.sb.credentials.layer.clientId,
      clientSecret: suite.sb.credentials.layer.clientSecret,
      environment: 'sandbox',
      authUrl: suite.sb.urls.layer.authUrl,
      apiUrl: suite.sb.urls.layer.apiUrl,
      ...options,
    }),
  );
}

/** What the browser can do with the token: call Layer's API for a business. */
async function layerBusinessStatus(accessToken: string, businessId: string): Promise<number> {
  const response = await request(`${suite.sb.urls.layer.apiUrl}/v1/businesses/${businessId}`, { headers: { authorization: `Bearer ${accessToken}` } });
  await response.body.dump();
  return response.statusCode;
}

const genericError = (code: string) => ({ error: { code, message: expect.any(String) } });

describe.each(expressVersions)('business token endpoint on $name', ({ express }) => {
  const clock = createClock();
  let app: RunningApp;
  let alice: string;
  let bob: string;
  const users = new Map<string, { businessId: string }>();
  const cookie = (user: string) => ({ cookie: `theme=dark; sid=${user}` });

  beforeAll(async () => {
    [alice, bob] = suite.sb.businesses.layer.active as [string, string];
    users.set('alice', { businessId: alice });
    users.set('bob', { businessId: bob });
    users.set('carol', { businessId: suite.sb.businesses.layer.archived });
    users.set('mallory', { businessId: 'not-a-uuid' });
    const layer = layerClient({ now: clock.now });
    const faulty = layerClient({ retry: false, timeoutMs: 500 });
    const authorize = (req: { get(name: string): string | undefined }) => sessionUser(req, users)?.businessId;
    const a = express();
    a.all('/api/token', businessTokenHandler({ client: layer, authorize, now: clock.now }));
    a.post('/api/short-token', businessTokenHandler({ client: layerClient(), authorize, sessionDuration: 600 }));
    a.post('/api/faulty-token', businessTokenHandler({ client: faulty, authorize }));
    a.post(
      '/api/bad-credentials-token',
      businessTokenHandler({ client: layerClient({ clientSecret: 'wrong-secret-value-123456', retry: false }), authorize }),
    );
    a.post(
      '/api/throwing-token',
      businessTokenHandler({
        client: layer,
        authorize: () => {
          throw new Error(`database unreachable with password ${suite.sb.credentials.layer.clientSecret}`);
        },
      }),
    );
    a.post(
      '/api/rejecting-token',
      businessTokenHandler({ client: layer, authorize: () => Promise.reject(new ProviderError('upstream said 429', { status: 429, retryAfterMs: 9000 })) }),
    );
    a.post('/api/boolean-token', businessTokenHandler({ client: layer, authorize: (() => true) as never }));
    a.post(
      '/api/overriding-token',
      businessTokenHandler({ client: layer, authorize, request: () => ({ businessId: bob }) as never }),
    );
    app = await listen(a);
  });
  afterAll(() => app.close());

  it('gives a signed-in user a token that Layer accepts for their business only', async () => {
    const res = await browser.send(`${app.url}/api/token`, { headers: cookie('alice') });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: expect.any(Number), business_id: alice });
    expect(res.json.expires_in).toBeGreaterThan(3500);
    expect(res.json.expires_in).toBeLessThanOrEqual(3600);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers.pragma).toBe('no-cache');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers.etag).toBeUndefined();
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(await layerBusinessStatus(res.json.access_token, alice)).toBe(200);
    expect([401, 403]).toContain(await layerBusinessStatus(res.json.access_token, bob));
  });

  it('answers GET as well as POST, each user with their own business', async () => {
    const res = await browser.send(`${app.url}/api/token`, { method: 'GET', headers: cookie('bob') });
    expect(res.status).toBe(200);
    expect(res.json.business_id).toBe(bob);
    expect(await layerBusinessStatus(res.json.access_token, bob)).toBe(200);
    expect([401, 403]).toContain(await layerBusinessStatus(res.json.access_token, alice));
  });

  it('reports the remaining lifetime of a cached token in expires_in', async () => {
    const first = await browser.send(`${app.url}/api/token`, { headers: cookie('alice') });
    const minted = suite.sb.stats.count('layer.businessToken');
    clock.advance(600_000);
    const second = await browser.send(`${app.url}/api/token`, { headers: cookie('alice') });
    expect(second.json.access_token).toBe(first.json.access_token);
    expect(first.json.expires_in - second.json.expires_in).toBe(600);
    expect(suite.sb.stats.count('layer.businessToken')).toBe(minted);
  });

  it('replaces a token the browser reports as rejected, once, and ignores stale reports', async () => {
    const first = await browser.send(`${app.url}/api/token`, { headers: cookie('bob') });
    const rejected = await tokenFingerprint(first.json.access_token);
    const minted = suite.sb.stats.count('layer.businessToken');
    // Three tabs report the same 401 at once: one new mint, all get the replacement.
    const reports = await Promise.all(
      [1, 2, 3].map(() => browser.send(`${app.url}/api/token`, { headers: { ...cookie('bob'), [REJECTED_TOKEN_HEADER]: rejected } })),
    );
    const replacement = reports[0]!.json.access_token;
    expect(replacement).not.toBe(first.json.access_token);
    expect(reports.every((r) => r.json.access_token === replacement)).toBe(true);
    expect(suite.sb.stats.count('layer.businessToken')).toBe(minted + 1);
    // A late report about the old token changes nothing.
    const late = await browser.send(`${app.url}/api/token`, { headers: { ...cookie('bob'), [REJECTED_TOKEN_HEADER]: rejected } });
    expect(late.json.access_token).toBe(replacement);
    // A made-up fingerprint cannot force a refresh either.
    await browser.send(`${app.url}/api/token`, { headers: { ...cookie('bob'), [REJECTED_TOKEN_HEADER]: 'AAAAAAAAAAAAAAAAAAAAAA' } });
    expect(suite.sb.stats.count('layer.businessToken')).toBe(minted + 1);
  });

  it('passes sessionDuration to Layer', async () => {
    const res = await browser.send(`${app.url}/api/short-token`, { headers: cookie('alice') });
    expect(res.status).toBe(200);
    expect(res.json.expires_in).toBeLessThanOrEqual(600);
    expect(res.json.expires_in).toBeGreaterThan(500);
  });

  it('refuses a user authorize does not allow with 403, without minting', async () => {
    const before = suite.sb.stats.count('layer.businessToken');
    for (const headers of [{}, cookie('eve')]) {
      const res = await browser.send(`${app.url}/api/token`, { headers });
      expect(res.status).toBe(403);
      expect(res.json).toEqual(genericError('forbidden'));
      expect(res.headers['cache-control']).toBe('no-store');
    }
    expect(suite.sb.stats.count('layer.businessToken')).toBe(before);
  });

  it.each([
    ['throws', '/api/throwing-token'],
    ['rejects with a FintokenError', '/api/rejecting-token'],
    ['returns a truthy non-string', '/api/boolean-token'],
  ])('answers 500 without details when authorize %s', async (_what, path) => {
    const res = await browser.send(`${app.url}${path}`, { headers: cookie('alice') });
    expect(res.status).toBe(500);
    expect(res.json).toEqual(genericError('internal_error'));
    expect(res.headers['retry-after']).toBeUndefined();
    expect(res.text).not.toMatch(/database|upstream|429/);
  });

  it('never lets request() replace the authorized business', async () => {
    const res = await browser.send(`${app.url}/api/overriding-token`, { headers: cookie('alice') });
    expect(res.json.business_id).toBe(alice);
    expect(await layerBusinessStatus(res.json.access_token, alice)).toBe(200);
  });

  it.each(['PUT', 'DELETE', 'PATCH', 'OPTIONS'])('answers %s with 405 and Allow: GET, POST', async (method) => {
    const before = suite.sb.stats.count('layer.businessToken');
    const res = await browser.send(`${app.url}/api/token`, { method, headers: cookie('alice') });
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, POST');
    expect(res.json).toEqual(genericError('method_not_allowed'));
    expect(suite.sb.stats.count('layer.businessToken')).toBe(before);
  });

  it('makes one upstream mint for 10 concurrent browser requests for one business', async () => {
    const client = layerClient();
    await client.getToken(); // the client token is not what this test counts
    const a = express();
    a.post('/api/token', businessTokenHandler({ client, authorize: () => alice }));
    const server = await listen(a);
    try {
      suite.sb.faults.inject('layer.businessToken', { latencyMs: 200 });
      const before = suite.sb.stats.count('layer.businessToken');
      const responses = await Promise.all(Array.from({ length: 10 }, () => browser.send(`${server.url}/api/token`)));
      expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
      expect(new Set(responses.map((r) => r.json.access_token)).size).toBe(1);
      expect(suite.sb.stats.count('layer.businessToken') - before).toBe(1);
    } finally {
      await server.close();
    }
  });

  describe('provider failures', () => {
    it('maps Layer throttling (429 + Retry-After: 7) to 503 with Retry-After: 7', async () => {
      suite.sb.faults.inject('layer.businessToken', { status: 429, retryAfter: 7 });
      const res = await browser.send(`${app.url}/api/faulty-token`, { headers: cookie('alice') });
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('7');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.json).toEqual(genericError('provider_unavailable'));
    });

    it.each([
      { what: 'a 503', fault: { status: 503 }, status: 503, retryAfter: '2' },
      { what: 'a 503 with Retry-After: 3', fault: { status: 503, retryAfter: 3 }, status: 503, retryAfter: '3' },
      { what: 'a 429 without Retry-After', fault: { status: 429 }, status: 503, retryAfter: '5' },
      { what: 'a hung connection (timeout)', fault: { hang: true }, status: 503, retryAfter: '2' },
      { what: 'a dropped connection', fault: { drop: true }, status: 503, retryAfter: '2' },
      { what: 'a 500', fault: { status: 500 }, status: 502, retryAfter: undefined },
      { what: 'an HTML body', fault: { body: 'html' }, status: 502, retryAfter: undefined },
      { what: 'a body without access_token', fault: { body: 'missing-access-token' }, status: 502, retryAfter: undefined },
    ] as const)('maps $what to $status', async ({ fault, status, retryAfter }) => {
      suite.sb.faults.inject('layer.businessToken', fault);
      const res = await browser.send(`${app.url}/api/faulty-token`, { headers: cookie('alice') });
      expect(res.status).toBe(status);
      expect(res.headers['retry-after']).toBe(retryAfter);
      expect(res.json).toEqual(genericError(status === 503 ? 'provider_unavailable' : 'bad_gateway'));
    });

    it('maps an archived business (Layer 404 ResourceArchived) to 502 without Layer\'s description', async () => {
      const res = await browser.send(`${app.url}/api/faulty-token`, { headers: cookie('carol') });
      expect(res.status).toBe(502);
      expect(res.json).toEqual(genericError('bad_gateway'));
      expect(res.text).not.toMatch(/archived|ResourceArchived|d3cc|404/i);
      expect(res.text).not.toContain(suite.sb.businesses.layer.archived);
    });

    it('maps rejected client credentials to 502', async () => {
      const res = await browser.send(`${app.url}/api/bad-credentials-token`, { headers: cookie('alice') });
      expect(res.status).toBe(502);
      expect(res.json).toEqual(genericError('bad_gateway'));
      expect(res.text).not.toContain('wrong-secret-value-123456');
    });

    it('answers 500 (a server bug, not the browser\'s) when authorize returns a malformed business id', async () => {
      const before = suite.sb.stats.count('layer.businessToken');
      const res = await browser.send(`${app.url}/api/faulty-token`, { headers: cookie('mallory') });
      expect(res.status).toBe(500);
      expect(res.json).toEqual(genericError('internal_error'));
      expect(res.text).not.toContain('not-a-uuid');
      expect(suite.sb.stats.count('layer.businessToken')).toBe(before);
    });
  });
});

it('leaks no secret or server-side token in any response of this file', () => {
  const { layer, thredfi, asset, layer1 } = suite.sb.credentials;
  expect(serverTokens.tokens.size).toBeGreaterThanOrEqual(2);
  expectNoLeaks(
    browser.seen,
    [layer.clientSecret, thredfi.apiKey, asset.clientSecret, layer1.clientSecret, 'wrong-secret-value-123456'],
    serverTokens.tokens,
    60,
  );
});
