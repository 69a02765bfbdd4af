import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLayerClient } from '@fintoken/layer';
import { startSandbox, type Sandbox } from '@fintoken/sandbox';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENDPOINT_HOSTS, type HostedApp, type Received } from './support/tokenEndpoints.js';
import { expectNoUnhandledRejections, trackUnhandledRejections } from './support/unhandled.js';

// Cross-site requests to the token endpoint from a real Chromium: an attacker's page (on
// `localhost`, another site than the app's `127.0.0.1`; or on another port of 127.0.0.1, a
// sibling on the same site) makes the victim's browser send a no-cors POST, a text/plain form, an
// <img> GET and a JSON fetch. The endpoint's `authorize` lets everyone through (the worst case:
// nothing but the cross-site rule stands in the way), so a request that got past the rule would
// show up as an authorize call and a mint at the sandbox.

const rejections = trackUnhandledRejections();
let sandbox: Sandbox;
let chrome: Browser;
let attacker: Server;
let attackerPort: number;
/** Attack pages by path; each is built by the test that uses it. */
const attackPages = new Map<string, string>();

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 'browser-endpoint-cross-site', providers: ['layer'] });
  attacker = createServer((req, res) => {
    const page = attackPages.get(new URL(req.url ?? '/', 'http://x').pathname);
    res.writeHead(page === undefined ? 404 : 200, { 'content-type': 'text/html; charset=utf-8' }).end(page ?? 'not found');
  });
  await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
  attackerPort = (attacker.address() as AddressInfo).port;
  chrome = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 120_000);

afterAll(async () => {
  await chrome?.close();
  attacker?.closeAllConnections();
  await new Promise((resolve) => attacker?.close(resolve));
  await sandbox?.close();
});

const mints = () => sandbox.stats.count('layer.businessToken');

// The app's own page: what must keep working.
const ownPage = `<!doctype html><script>
  fetch('/token', { method: 'POST', credentials: 'same-origin' }).then(async (r) => { document.title = 'done ' + r.status + ' ' + (await r.json()).business_id; });
</script>`;

const attacks = {
  'a no-cors POST': (target: string) =>
    `<script>fetch(${JSON.stringify(target)}, { method: 'POST', mode: 'no-cors', credentials: 'include', body: 'business_id=other' });</script>`,
  'a text/plain form, submitted by script': (target: string) =>
    `<form method="post" enctype="text/plain" action=${JSON.stringify(target)}><input name="a" value="b"></form><script>document.forms[0].submit()</script>`,
  'an <img> GET': (target: string) => `<img src=${JSON.stringify(target)}>`,
} as const;

describe.each(ENDPOINT_HOSTS)('$name, attacked from a real Chromium', (host) => {
  const log: Received[] = [];
  let app: HostedApp;
  let context: BrowserContext;
  let authorizeCalls = 0;
  let businessId: string;
  const crossSite = () => `http://localhost:${attackerPort}`;
  const sameSite = () => `http://127.0.0.1:${attackerPort}`;

  beforeAll(async () => {
    businessId = sandbox.businesses.layer.active[0] as string;
    const layer = () => createLayerClient({ ...sandbox.credentials.layer, environment: 'sandbox', authUrl: sandbox.urls.layer.authUrl, apiUrl: sandbox.urls.layer.apiUrl });
    const everyone = () => {
      authorizeCalls += 1;
      return businessId;
    };
    app = await host.serve(
      {
        '/token': { client: layer(), authorize: everyone },
        '/partner-token': { client: layer(), authorize: everyone, allowedOrigins: [crossSite()] },
      },
      { '/': ownPage },
      { log },
    );
    context = await chrome.newContext();
  });
  afterAll(async () => {
    await context?.close();
    await app?.close();
  });

  /** Open an attack page and wait until the app has answered the request it makes the browser send. */
  async function launch(from: string, name: string, html: string, path: string, method: string): Promise<Received> {
    const seen = log.length;
    attackPages.set(`/${name}`, html);
    const page = await context.newPage();
    try {
      await page.goto(`${from}/${name}`);
      await expect.poll(() => log.slice(seen).find((r) => r.path === path && r.method === method), { timeout: 10_000 }).toBeDefined();
      return log.slice(seen).find((r) => r.path === path && r.method === method) as Received;
    } finally {
      await page.close();
    }
  }

  it("serves the app's own page (same-origin): the browser path works", async () => {
    const page = await context.newPage();
    await page.goto(`${app.url}/`);
    await expect.poll(() => page.title(), { timeout: 10_000 }).toBe(`done 200 ${businessId}`);
    await page.close();
    expect(log.find((r) => r.path === '/token')?.headers['sec-fetch-site']).toBe('same-origin');
  });

  it.each(Object.keys(attacks) as Array<keyof typeof attacks>)('refuses %s from another site: 403, no authorize, no mint', async (name) => {
    const [before, calls] = [mints(), authorizeCalls];
    const method = name === 'an <img> GET' ? 'GET' : 'POST';
    const received = await launch(crossSite(), `cross-${name.replace(/\W+/g, '-')}`, attacks[name](`${app.url}/token`), '/token', method);
    expect(received.headers['sec-fetch-site']).toBe('cross-site');
    expect(received.status).toBe(403);
    expect(authorizeCalls).toBe(calls);
    expect(mints()).toBe(before);
  });

  it.each(Object.keys(attacks) as Array<keyof typeof attacks>)('refuses %s from a sibling on the same site (another port)', async (name) => {
    const [before, calls] = [mints(), authorizeCalls];
    const method = name === 'an <img> GET' ? 'GET' : 'POST';
    const received = await launch(sameSite(), `sibling-${name.replace(/\W+/g, '-')}`, attacks[name](`${app.url}/token`), '/token', method);
    expect(received.headers['sec-fetch-site']).toBe('same-site');
    expect(received.status).toBe(403);
    expect(authorizeCalls).toBe(calls);
    expect(mints()).toBe(before);
  });

  it('never receives the POST of a cross-site JSON fetch: its preflight gets 405', async () => {
    const [before, start] = [mints(), log.length];
    const html = `<script>fetch(${JSON.stringify(`${app.url}/token`)}, { method: 'POST', credentials: 'include', headers: { 'content-type': 'application/json' }, body: '{}' }).catch(() => {});</script>`;
    const preflight = await launch(crossSite(), 'cross-json', html, '/token', 'OPTIONS');
    expect(preflight.status).toBe(405);
    // Give a (wrongly) sent POST time to arrive; none may.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(log.slice(start).filter((r) => r.method === 'POST')).toEqual([]);
    expect(mints()).toBe(before);
  });

  it('lets a page on an allowedOrigins entry through, with the headers Chromium really sends', async () => {
    const before = mints();
    const received = await launch(crossSite(), 'partner', attacks['a no-cors POST'](`${app.url}/partner-token`), '/partner-token', 'POST');
    expect(received.headers['sec-fetch-site']).toBe('cross-site');
    expect(received.headers.origin).toBe(crossSite());
    expect(received.status).toBe(200);
    expect(mints()).toBe(before + 1);
  });
});

expectNoUnhandledRejections(rejections);
