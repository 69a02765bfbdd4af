import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type * as Fintoken from '../src/index.js';
import type { AppServer } from './support/appServer.js';
import { startBrowserHarness, type BrowserHarness } from './support/browserHarness.js';

let harness: BrowserHarness;
let app: AppServer;
const pageErrors: string[] = [];

beforeAll(async () => {
  harness = await startBrowserHarness();
  app = harness.app;
}, 120_000);

afterAll(async () => {
  await harness?.close();
}, 60_000);

beforeEach(() => {
  app.reset();
  // The page's session cookie (HttpOnly) must reach the token endpoint: credentials 'same-origin'.
  app.sessionCookie = 'browser-session';
});

const newContext = () => harness.newContext();

async function openTab(context: BrowserContext, options: { shareAcrossTabs?: boolean; timeoutMs?: number; clock?: boolean } = {}): Promise<Page> {
  const tab = await context.newPage();
  tab.on('pageerror', (error) => pageErrors.push(error.message));
  await tab.goto(`${app.url}/`);
  await tab.waitForFunction(() => window.ready === true);
  await tab.evaluate(({ shareAcrossTabs, timeoutMs, clock }) => {
    window.authFetch = window.fintoken.createAuthFetch({
      tokenUrl: '/token',
      ...(clock ? { now: () => window.clock } : {}),
      onEvent: (event) => window.events.push(event),
      ...(shareAcrossTabs ? { tabs: window.fintokenTabs.shareAcrossTabs({ partition: 'browser-user', ...(timeoutMs === undefined ? {} : { timeoutMs }) }) } : {}),
    });
  }, options);
  return tab;
}

/** Calls the API `n` times at once from the page; returns statuses and the token index each call used. */
function callApi(tab: Page, n: number, init?: { method: string; body: string }) {
  return tab.evaluate(
    async ({ n: count, init: requestInit }) =>
      Promise.all(
        Array.from({ length: count }, async () => {
          const response = await window.authFetch('/api/echo', requestInit);
          const body = (await response.json()) as { tokenIndex?: number; body?: string };
          return { status: response.status, tokenIndex: body.tokenIndex, body: body.body };
        }),
      ),
    { n, init },
  );
}

/** The token never reaches web storage, cookies, IndexedDB or Cache Storage, and events carry none. */
async function expectNothingStored(tab: Page): Promise<void> {
  const state = await tab.evaluate(async () => ({
    localStorage: localStorage.length,
    sessionStorage: sessionStorage.length,
    cookie: document.cookie,
    indexedDB: (await indexedDB.databases()).length,
    caches: (await caches.keys()).length,
    events: JSON.stringify(window.events),
  }));
  expect(state).toMatchObject({ localStorage: 0, sessionStorage: 0, indexedDB: 0, caches: 0 });
  for (const secret of app.secrets()) {
    expect(state.cookie.includes(secret)).toBe(false);
    expect(state.events.includes(secret)).toBe(false);
  }
}

describe('in a real Chromium', () => {
  it('makes one token request for 100 concurrent calls, and the sandbox accepts the token', async () => {
    app.tokenDelayMs = 100;
    const tab = await openTab(await newContext());
    const results = await callApi(tab, 100);
    expect(results.map((r) => r.status)).toEqual(Array(100).fill(200));
    expect(new Set(results.map((r) => r.tokenIndex))).toEqual(new Set([app.minted.length - 1]));
    expect(app.tokenRequests).toBe(1);
    expect(app.tokenRequestLog[0]?.headers.cookie).toBe('sid=browser-session');
    const business = await tab.evaluate(async () => {
      const response = await window.authFetch('/api/business');
      return { status: response.status, body: (await response.json()) as { data?: { id: string } } };
    });
    expect(business).toMatchObject({ status: 200, body: { data: { type: 'Business', id: app.businessId } } });
    await expectNothingStored(tab);
  });

  it('refreshes ahead of expiry on the page clock, serving the valid token meanwhile', async () => {
    const tab = await openTab(await newContext(), { clock: true });
    const [first] = await callApi(tab, 1);
    await tab.evaluate(() => {
      window.clock += 3600_000 - 20_000; // 20 s left: inside the 30 s lead
    });
    const during = await callApi(tab, 10);
    expect(during.map((r) => r.tokenIndex)).toEqual(Array(10).fill(first!.tokenIndex));
    await tab.waitForFunction(() => window.events.some((e) => e.type === 'token.refreshed' && e.reason === 'refresh-ahead'));
    expect(app.tokenRequests).toBe(2);
    const [after] = await callApi(tab, 1);
    expect(after!.tokenIndex).toBe(first!.tokenIndex! + 1);
    await expectNothingStored(tab);
  });

  it('on a 401 refreshes once and retries once; a storm of 50 401s makes one token request', async () => {
    app.tokenDelayMs = 50;
    const tab = await openTab(await newContext());
    const [first] = await callApi(tab, 1);
    app.revokeAll();
    const [retried] = await callApi(tab, 1, { method: 'POST', body: '{"amount":1}' });
    expect(retried).toEqual({ status: 200, tokenIndex: first!.tokenIndex! + 1, body: '{"amount":1}' });
    expect(app.tokenRequests).toBe(2);
    app.revokeAll();
    const storm = await callApi(tab, 50);
    expect(storm.map((r) => r.status)).toEqual(Array(50).fill(200));
    expect(app.tokenRequests).toBe(3);
    await expectNothingStored(tab);
  });

  it('surfaces a failing token endpoint as a typed error with the status', async () => {
    const tab = await openTab(await newContext());
    app.faults.push({ status: 503 });
    const error = await tab.evaluate(async () =>
      window.authFetch('/api/echo').then(
        () => undefined,
        (e: Fintoken.ProviderError) => ({ code: e.code, status: e.status, isProviderError: e instanceof window.fintoken.ProviderError }),
      ),
    );
    // `code`, not `name`: a minifier renames classes, and core derives `name` from the class.
    expect(error).toEqual({ code: 'ERR_PROVIDER', status: 503, isProviderError: true });
  });

  it('two tabs share one token: one token request', async () => {
    const context = await newContext();
    const one = await openTab(context, { shareAcrossTabs: true });
    const two = await openTab(context, { shareAcrossTabs: true });
    expect((await callApi(one, 5)).map((r) => r.status)).toEqual(Array(5).fill(200));
    const fromTwo = await callApi(two, 5);
    expect(fromTwo.map((r) => r.status)).toEqual(Array(5).fill(200));
    expect(app.tokenRequests).toBe(1);
    // A tab opened later asks the channel; an open tab answers.
    const late = await openTab(context, { shareAcrossTabs: true, timeoutMs: 5_000 });
    expect((await callApi(late, 1))[0]!.status).toBe(200);
    expect(app.tokenRequests).toBe(1);
    for (const tab of [one, two, late]) await expectNothingStored(tab);
  });

  it('tabs starting cold at the same moment elect one fetcher (Web Locks): one token request', async () => {
    app.tokenDelayMs = 200;
    const context = await newContext();
    const tabs = await Promise.all([1, 2, 3].map(() => openTab(context, { shareAcrossTabs: true })));
    const results = (await Promise.all(tabs.map((tab) => callApi(tab, 5)))).flat();
    expect(results.map((r) => r.status)).toEqual(Array(15).fill(200));
    expect(app.tokenRequests).toBe(1);
    const fetchedIn = await Promise.all(tabs.map((tab) => tab.evaluate(() => window.events.filter((e) => e.type === 'token.fetched').length)));
    expect(fetchedIn.reduce((a, b) => a + b, 0)).toBe(1);
    // Then a 401 seen by every tab at once: still one token request.
    app.revokeAll();
    const again = (await Promise.all(tabs.map((tab) => callApi(tab, 5)))).flat();
    expect(again.map((r) => r.status)).toEqual(Array(15).fill(200));
    expect(app.tokenRequests).toBe(2);
    for (const tab of tabs) await expectNothingStored(tab);
  });

  it('a tab waits while another holds the refresh lock, and fetches once it is free', async () => {
    const context = await newContext();
    const holder = await openTab(context);
    // Hold the lock the tabs elect their fetcher with (named after the channel and partition).
    await holder.evaluate(
      () =>
        new Promise<void>((held) => {
          void navigator.locks.request('fintoken:/token#browser-user', () => {
            held();
            return new Promise<void>((release) => Object.assign(window, { releaseLock: release }));
          });
        }),
    );
    const waiter = await openTab(context, { shareAcrossTabs: true });
    const pending = callApi(waiter, 3);
    await waiter.waitForFunction(() => window.events.some((e) => e.type === 'store.wait'));
    expect(app.tokenRequests).toBe(0);
    await holder.evaluate(() => (window as unknown as { releaseLock: () => void }).releaseLock());
    expect((await pending).map((r) => r.status)).toEqual([200, 200, 200]);
    expect(app.tokenRequests).toBe(1);
  });

  it('raised no error in any page', () => {
    expect(pageErrors).toEqual([]);
  });
});
