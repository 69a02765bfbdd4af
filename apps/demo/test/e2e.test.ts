import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemo, type Demo } from '../src/server.js';
import { launchOptions } from './browser.js';
import { readStream, type StreamReader } from './sse.js';

const artifacts = fileURLToPath(new URL('../test-artifacts/', import.meta.url));
// The providers whose business token the page holds; Thredfi's stays on the server.
const pageProviders = ['layer', 'asset'] as const;

let demo: Demo;
let browser: Browser;
const contexts: BrowserContext[] = [];
const logs: string[] = [];
/** Every response body any page received (SSE streams are read from Node instead). */
const received: { url: string; text: string }[] = [];
let aliceEvents: StreamReader | undefined;

beforeAll(async () => {
  demo = await startDemo({ port: 0, env: {}, log: (line) => logs.push(line) });
  browser = await chromium.launch(launchOptions);
}, 60_000);

afterAll(async () => {
  aliceEvents?.stop();
  await browser?.close();
  await demo?.close();
});

const card = (page: Page, provider: string) => page.locator(`.card[data-provider="${provider}"]`);
const text = async (page: Page, provider: string, selector: string) => (await card(page, provider).locator(selector).textContent())?.trim();

async function waitForText(page: Page, provider: string, selector: string, expected: string): Promise<void> {
  await expect.poll(() => text(page, provider, selector), { timeout: 15_000 }).toBe(expected);
}

async function signIn(user: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1200 } });
  contexts.push(context);
  const page = await context.newPage();
  // Record every body the page receives: the request goes out and comes back unchanged, but
  // through Playwright, which (unlike page.on('response')) can always read the body. The SSE
  // stream is left alone and read from Node instead (readStream).
  await context.route('**/*', async (route) => {
    if (route.request().url().endsWith('/api/events')) return route.continue();
    const response = await route.fetch();
    const body = await response.body();
    received.push({ url: route.request().url(), text: body.toString('utf8') });
    await route.fulfill({ response, body });
  });
  await page.goto(demo.url);
  await page.waitForSelector('body[data-ready="true"]');
  await page.click(`[data-signin="${user}"]`);
  await page.waitForSelector('body[data-events="ready"]');
  return page;
}

const cookieHeader = async (page: Page) => (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');

describe('the demo in a browser', () => {
  it('signs alice in, gets a business token from Layer and Asset, calls each API (Thredfi and Layer1 through the server), and refreshes after a forced 401', async () => {
    const sandbox = demo.sandbox!;
    const alice = {
      layer: sandbox.businesses.layer.active[0]!,
      thredfi: sandbox.businesses.thredfi.owned[0]!,
      asset: sandbox.businesses.asset.allowed[0]!,
    };
    const page = await signIn('alice');
    aliceEvents = readStream(`${demo.url}/api/events`, await cookieHeader(page));

    for (const provider of pageProviders) {
      await card(page, provider).locator('[data-action="token"]').click();
      await waitForText(page, provider, '.fetched', '1');
      await expect.poll(() => card(page, provider).getAttribute('data-state')).toBe('ok');
      // The claims are decoded in the page: the token is scoped to alice's business.
      expect(await text(page, provider, '.claims-body')).toContain(`"business_id": "${alice[provider]}"`);
      expect(await text(page, provider, '.state-text')).toBe('valid');
      expect(Number((await text(page, provider, '.expires'))?.replace(/\D/g, ''))).toBeGreaterThan(0);

      await card(page, provider).locator('[data-action="call"]').click();
      await expect.poll(() => card(page, provider).locator('.last-call').getAttribute('data-status')).toBe('200');
    }

    // Layer1 and Thredfi: the token stays on the server; the card shows a server-side call.
    for (const provider of ['layer1', 'thredfi']) {
      expect(await text(page, provider, '.kind')).toBe('server-side token only');
      await card(page, provider).locator('[data-action="call"]').click();
      await expect.poll(() => card(page, provider).locator('.last-call').getAttribute('data-status')).toBe('200');
    }
    await waitForText(page, 'layer1', '.fetched', '1');
    expect(await text(page, 'thredfi', '.claims-body')).toContain("Thredfi's business token never leaves the server");
    expect(await text(page, 'thredfi', '.business-id')).toBe(alice.thredfi.length > 22 ? `${alice.thredfi.slice(0, 13)}…${alice.thredfi.slice(-6)}` : alice.thredfi);

    // Force a 401: the sandbox refuses the next API call once; @fintoken/fetch refreshes and retries.
    for (const provider of pageProviders) {
      const apiEndpoint = ({ layer: 'layer.business', asset: 'asset.business' } as const)[provider];
      const tokenBefore = await text(page, provider, '.claims-body');
      const apiCalls = sandbox.stats.count(apiEndpoint);
      await card(page, provider).locator('[data-action="force401"]').click();
      await waitForText(page, provider, '.refreshed', '1');
      await expect.poll(() => card(page, provider).locator('.last-call').getAttribute('data-status')).toBe('200');
      // Polled: last-call still shows the previous call's 200 until the retried call lands.
      await expect.poll(() => text(page, provider, '.call-note')).toMatch(/^401 → 200 after a refresh/);
      expect(sandbox.stats.count(apiEndpoint)).toBe(apiCalls + 2);
      // The server minted a new token too (the page sent the refused token's fingerprint): new jti, new claims.
      await expect.poll(() => text(page, provider, '.claims-body')).not.toBe(tokenBefore);
    }
    const timeline = page.locator('#events .event');
    await expect.poll(() => timeline.filter({ hasText: 'API 401' }).count()).toBe(2);
    expect(await page.locator('#events .event[data-source="page"][data-type="token.refreshed"]').count()).toBe(2);

    // Layer1's forced 401 is handled on the server by the client's own fetch; SSE reports the refresh.
    await card(page, 'layer1').locator('[data-action="force401"]').click();
    await waitForText(page, 'layer1', '.refreshed', '1');
    await expect.poll(() => card(page, 'layer1').locator('.last-call').getAttribute('data-status')).toBe('200');

    // Thredfi's forced 401 too: the server's client refreshes its business token and retries.
    const thredfiRefreshed = Number(await text(page, 'thredfi', '.refreshed'));
    await card(page, 'thredfi').locator('[data-action="force401"]').click();
    await expect.poll(async () => Number(await text(page, 'thredfi', '.refreshed'))).toBeGreaterThan(thredfiRefreshed);
    await expect.poll(() => card(page, 'thredfi').locator('.last-call').getAttribute('data-status')).toBe('200');

    // A 503 burst on Thredfi's token endpoint: the server retries (SSE) and gets its token.
    const retriesBefore = await page.locator('#events .event[data-source="server"][data-type="retry.scheduled"]').count();
    const refreshedBefore = Number(await text(page, 'thredfi', '.refreshed'));
    await card(page, 'thredfi').locator('[data-fault="burst503"]').click();
    await expect.poll(async () => Number(await text(page, 'thredfi', '.refreshed')), { timeout: 15_000 }).toBeGreaterThan(refreshedBefore);
    await expect.poll(() => page.locator('#events .event[data-source="server"][data-type="retry.scheduled"]').count()).toBe(retriesBefore + 3);

    mkdirSync(artifacts, { recursive: true });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `${artifacts}demo.png`, fullPage: true });
  }, 90_000);

  it("refuses bob alice's business with a 403, and gives him his own", async () => {
    const sandbox = demo.sandbox!;
    const page = await signIn('bob');
    const aliceIds = { layer: sandbox.businesses.layer.active[0]!, asset: sandbox.businesses.asset.allowed[0]! };
    for (const provider of pageProviders) {
      const status = await page.evaluate(
        async ([p, id]) => (await fetch(`/api/${p}/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ business_id: id }) })).status,
        [provider, aliceIds[provider]] as const,
      );
      expect(status, provider).toBe(403);
      // The card's own button asks for the other user's business and shows the refusal.
      await card(page, provider).locator('[data-action="other"]').click();
      await expect.poll(() => card(page, provider).locator('.last-call').getAttribute('data-status')).toBe('403');
    }
    // Thredfi's card asks the server to call the API for alice's business: refused too.
    await card(page, 'thredfi').locator('[data-action="other"]').click();
    await expect.poll(() => card(page, 'thredfi').locator('.last-call').getAttribute('data-status')).toBe('403');
    await card(page, 'layer').locator('[data-action="token"]').click();
    await waitForText(page, 'layer', '.fetched', '1');
    expect(await text(page, 'layer', '.claims-body')).toContain(`"business_id": "${sandbox.businesses.layer.active[1]}"`);

    // Signed out (no cookie), the token endpoint answers 401 and mints nothing.
    const anonymous = await fetch(`${demo.url}/api/layer/token`, { method: 'POST' });
    expect(anonymous.status).toBe(401);
  }, 60_000);

  it("links to Layer's own React components, fed a live business token that rotates on screen", async () => {
    const sandbox = demo.sandbox!;
    const since = sandbox.clock.now();
    const page = await signIn('alice');
    const link = page.locator('#layer-react');
    await expect.poll(() => link.getAttribute('href')).toBe(demo.layerReactUrl);
    // A context of its own: the sample's page is not one of the demo page's recorded responses.
    const context = await browser.newContext();
    contexts.push(context);
    await context.route('**/*', (route) =>
      new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort(),
    );
    const sample = await context.newPage();
    await sample.goto(demo.layerReactUrl);
    await sample.getByText('Checking').first().waitFor({ timeout: 20_000 });
    await expect.poll(() => sample.getByTestId('token-exp').textContent()).toMatch(/\d\d:\d\d:\d\d/);
    // "Refresh now" sends the token's fingerprint: the server mints a new one and Layer's components refetch with it.
    await sample.getByRole('button', { name: 'Refresh now' }).click();
    await expect.poll(() => sample.getByTestId('rotations').textContent()).toBe('1');
    const componentReads = () => sandbox.apiRequests.list().filter((r) => r.receivedAt >= since && r.endpoint === 'layer.ledgerBalances');
    await expect.poll(() => new Set(componentReads().map((r) => r.tokenId)).size, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
    for (const r of componentReads()) expect(r).toMatchObject({ status: 200, live: true, tokenBusinessId: sandbox.businesses.layer.active[0] });
  }, 60_000);

  it('never lets a client secret or a server-side token reach the page', async () => {
    const sandbox = demo.sandbox!;
    const secrets = [
      sandbox.credentials.layer.clientSecret,
      sandbox.credentials.thredfi.apiKey,
      sandbox.credentials.asset.clientSecret,
      sandbox.credentials.layer1.clientSecret,
    ];
    // The tokens the server holds for itself: cached, so these are the very ones it used.
    const serverTokens = await Promise.all([
      demo.clients.layer.getToken(),
      demo.clients.thredfi.getToken(),
      // Thredfi's business tokens never reach the page either (seed: "never expose in client-side code").
      demo.clients.thredfi.getToken({ businessId: sandbox.businesses.thredfi.owned[0]! }),
      demo.clients.thredfi.getToken({ businessId: sandbox.businesses.thredfi.owned[1]! }),
      demo.clients.layer1.getToken(),
    ]).then((tokens) => tokens.map((t) => t.accessToken));
    const responses = received;
    const sse = aliceEvents?.stop() ?? '';
    expect(responses.length).toBeGreaterThan(20);
    expect(sse).toContain('token.refreshed');

    const everything = [...responses.map((r) => r.text), sse, ...logs];
    for (const haystack of everything) {
      for (const secret of [...secrets, ...serverTokens]) expect(haystack.includes(secret)).toBe(false);
    }
    // Every JWT the page ever received is scoped to a business.
    const jwts = responses.flatMap((r) => r.text.match(/eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/g) ?? []);
    expect(jwts.length).toBeGreaterThan(0);
    for (const jwt of jwts) {
      const claims = JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as { business_id?: unknown; iss?: string };
      expect(typeof claims.business_id).toBe('string');
      expect(claims.iss).not.toMatch(/\/thredfi$/);
    }
  });

  it('logs token events as JSON lines without secrets', () => {
    const types = ['token.fetched', 'token.refreshed', 'token.failed'];
    const events = logs.map((line) => JSON.parse(line) as Record<string, unknown>).filter((e) => types.includes(e.type as string));
    expect(events.length).toBeGreaterThan(5);
    for (const event of events) {
      expect(event).toMatchObject({ time: expect.any(String), provider: expect.any(String), type: expect.any(String), key: expect.any(String) });
      expect(typeof event.durationMs).toBe('number');
    }
  });
});
