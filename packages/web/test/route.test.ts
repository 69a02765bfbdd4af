import { tokenFingerprint, REJECTED_TOKEN_HEADER } from '@fintoken/core';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { businessTokenRoute } from '../src/index.js';
import { expectNoLeaks, sessionUser, useSandboxSuite } from './support/http.js';
import { serveFetch, type RunningServer } from './support/serve.js';

const suite = useSandboxSuite();
const { browser, serverTokens } = suite;
const users = new Map<string, { businessId: string }>();
let alice: string;
let route: (request: Request) => Promise<Response>;
let client: ReturnType<typeof suite.layerClient>;

beforeAll(() => {
  alice = suite.sb.businesses.layer.active[0] as string;
  users.set('alice', { businessId: alice });
  client = suite.layerClient();
  route = businessTokenRoute({ client, authorize: (request) => sessionUser(request.headers, users)?.businessId });
});

const post = (init: RequestInit & { duplex?: 'half' } = {}) =>
  new Request('https://app.example/api/token', { method: 'POST', headers: { cookie: 'sid=alice' }, ...init });

describe('called directly, as Next.js, Bun.serve, Deno.serve and Workers call it', () => {
  it('turns a Request into a no-store JSON Response', async () => {
    const response = await route(post());
    expect(response).toBeInstanceOf(Response);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await response.json()).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: expect.any(Number), business_id: alice });
  });

  it('never reads the body: a request whose body never ends is still answered', async () => {
    let pulls = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulls += 1;
        controller.enqueue(new Uint8Array(64 * 1024));
      },
    });
    const response = await route(post({ body: endless, duplex: 'half' }));
    expect(response.status).toBe(200);
    // A stream pulls ahead to fill its queue once; a reader would have pulled far more.
    expect(pulls).toBeLessThanOrEqual(1);
    await endless.cancel();
  });

  it('answers HEAD, like every method but GET and POST, with 405', async () => {
    const response = await route(post({ method: 'HEAD' }));
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, POST');
  });

  it("compares a browser's Origin with the request's own URL when it sends no Sec-Fetch-Site", async () => {
    expect((await route(post({ headers: { cookie: 'sid=alice', origin: 'https://app.example' } }))).status).toBe(200);
    const refused = await route(post({ headers: { cookie: 'sid=alice', origin: 'https://evil.example' } }));
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({ error: { code: 'cross_site_request', message: expect.any(String) } });
    // Behind a proxy that hands the runtime an inner URL, the public origin must be listed.
    const inner = new Request('http://10.0.0.7:3000/api/token', { method: 'POST', headers: { cookie: 'sid=alice', origin: 'https://app.example' } });
    expect((await route(inner)).status).toBe(403);
    const listed = businessTokenRoute({ client, authorize: () => alice, allowedOrigins: ['https://app.example'] });
    expect((await listed(inner)).status).toBe(200);
  });

  it('replaces the token a browser reports as rejected', async () => {
    const first = (await (await route(post())).json()) as { access_token: string };
    const headers = { cookie: 'sid=alice', [REJECTED_TOKEN_HEADER]: await tokenFingerprint(first.access_token) };
    const second = (await (await route(post({ headers }))).json()) as { access_token: string };
    expect(second.access_token).not.toBe(first.access_token);
  });
});

it('writes nothing to the console, whatever fails: a throwing authorize quoting a secret, a provider outage', async () => {
  const secret = suite.sb.credentials.layer.clientSecret;
  const spies = (['log', 'info', 'warn', 'error', 'debug', 'trace'] as const).map((method) => vi.spyOn(console, method));
  try {
    const throwing = businessTokenRoute({
      client,
      authorize: () => {
        throw new Error(`database unreachable with password ${secret}`);
      },
    });
    const thrown = await throwing(post());
    expect(thrown.status).toBe(500);
    expect(await thrown.text()).not.toContain(secret);
    suite.sb.faults.inject('layer.businessToken', { status: 500 });
    const once = suite.layerClient({ retry: false });
    const failing = businessTokenRoute({ client: once, authorize: () => alice });
    expect((await failing(post())).status).toBe(502);
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
});

describe('inside a Hono app on @hono/node-server', () => {
  let server: RunningServer;
  beforeAll(async () => {
    const app = new Hono();
    app.post('/api/token', (c) => route(c.req.raw));
    server = await serveFetch(app.fetch);
  });
  afterAll(() => server.close());

  it('serves the token through Hono routing', async () => {
    const res = await browser.send(`${server.url}/api/token`, { headers: { cookie: 'sid=alice' } });
    expect(res.status).toBe(200);
    expect(res.json.business_id).toBe(alice);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('refuses a visitor without a session with 403', async () => {
    const res = await browser.send(`${server.url}/api/token`);
    expect(res.status).toBe(403);
    expect(res.json).toEqual({ error: { code: 'forbidden', message: expect.any(String) } });
  });
});

it('leaks no secret or server-side token in any response of this file', () => {
  const { layer } = suite.sb.credentials;
  expectNoLeaks(browser.seen, [layer.clientSecret], serverTokens.tokens, 2);
});
