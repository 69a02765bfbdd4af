import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AppServer } from './support/appServer.js';
import { startBrowserHarness, type BrowserHarness } from './support/browserHarness.js';

// Every token a page of this file sees: sent as a Bearer, answered by the token endpoint, or
// held by its authFetch (read on every change it announces).
declare global {
  interface Window {
    seen: string[];
    user: string;
  }
}

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
});

async function openPage(page: Page): Promise<Page> {
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(`${app.url}/`);
  await page.waitForFunction(() => window.ready === true);
  return page;
}

/** Signs the page's browser in as `user` (an HttpOnly session cookie) and builds its authFetch, sharing across tabs. */
async function signedIn(page: Page, user: string, businessId: string): Promise<Page> {
  await page.evaluate(
    async ({ user: name, businessId: business }) => {
      const response = await fetch(`/session?user=${name}`, { method: 'POST' });
      if (response.status !== 204) throw new Error(`sign-in answered ${response.status}`);
      window.user = name;
      window.seen = [];
      const record = (token: string | undefined) => {
        if (token) window.seen.push(token);
      };
      const { createAuthFetch } = window.fintoken;
      window.authFetch = createAuthFetch({
        tokenUrl: '/token',
        fetch: async (input, init) => {
          record(new Headers(init?.headers).get('authorization')?.replace(/^Bearer /, ''));
          const answer = await fetch(input, init);
          if (String(input) === '/token' && answer.ok) record(((await answer.clone().json()) as { access_token: string }).access_token);
          return answer;
        },
        // The signed-in identity is the partition; the business is the one this user acts for.
        tabs: window.fintokenTabs.shareAcrossTabs({ partition: name, businessId: business }),
        onEvent: (event) => window.events.push(event),
      });
      window.authFetch.subscribe(() => record(window.authFetch.peek()?.accessToken));
    },
    { user, businessId },
  );
  return page;
}

const callApi = (page: Page) =>
  page.evaluate(async () => {
    const response = await window.authFetch('/api/echo');
    return response.status;
  });
const seen = (page: Page) => page.evaluate(() => [...window.seen, window.authFetch.peek()?.accessToken ?? '']).then((tokens) => tokens.filter(Boolean));

describe('tab sharing is scoped to the signed-in identity, in Chromium', () => {
  it("signs out in one tab while another stays open, signs another user in: no page of the new user ever holds the first user's token", async () => {
    const [alice, bob] = app.businessIds as [string, string];
    app.users.set('alice', alice).set('bob', bob);
    const context = await harness.newContext();
    const one = await signedIn(await openPage(await context.newPage()), 'alice', alice);
    const two = await signedIn(await openPage(await context.newPage()), 'alice', alice);
    expect([await callApi(one), await callApi(two)]).toEqual([200, 200]);
    expect(app.tokenRequests).toBe(1);
    const alicesTokens = [...app.mintedFor].filter(([, user]) => user === 'alice').map(([token]) => token);
    expect(alicesTokens).toHaveLength(1);
    for (const tab of [one, two]) expect(await seen(tab)).toEqual(expect.arrayContaining(alicesTokens));

    // Sign-out as the README says: the server first, then clear() — which reaches every tab of alice's.
    await one.evaluate(async () => {
      await fetch('/session', { method: 'DELETE' });
      window.authFetch.clear();
    });
    await two.waitForFunction(() => window.authFetch.peek() === undefined, undefined, { timeout: 5_000 });
    const twoAfterSignOut = (await two.evaluate(() => window.seen.length));

    // bob signs in where alice was; a second tab of his opens while alice's other tab is still open.
    await one.reload();
    await signedIn(await openPage(one), 'bob', bob);
    expect(await callApi(one)).toBe(200);
    const three = await signedIn(await openPage(await context.newPage()), 'bob', bob);
    expect(await callApi(three)).toBe(200);
    // bob's tabs share bob's one token.
    expect(app.tokenRequests).toBe(2);

    const bobsTokens = new Set([...app.mintedFor].filter(([, user]) => user === 'bob').map(([token]) => token));
    for (const tab of [one, three]) {
      const tokens = await seen(tab);
      expect(tokens.length).toBeGreaterThan(0);
      for (const token of tokens) {
        expect(alicesTokens).not.toContain(token);
        expect(bobsTokens.has(token)).toBe(true);
      }
    }
    // alice's tab left open holds nothing after her sign-out, and never picked up a token since.
    expect(await two.evaluate(() => window.authFetch.peek())).toBeUndefined();
    expect((await two.evaluate(() => window.seen)).slice(twoAfterSignOut)).toEqual([]);
  });

  it("sends the token to the page's own origin only, unless told more: another origin is refused before anything is sent", async () => {
    app.sessionCookie = 'browser-session';
    const page = await openPage(await (await harness.newContext()).newPage());
    // The same server under another name is another origin.
    const other = app.url.replace('127.0.0.1', 'localhost');
    const results = await page.evaluate(async (otherOrigin) => {
      const authFetch = window.fintoken.createAuthFetch({ tokenUrl: '/token' });
      const refused = await authFetch(`${otherOrigin}/api/echo`).then(
        () => 'sent',
        (error: { code?: string }) => error.code,
      );
      const own = await Promise.all([authFetch('/api/echo'), authFetch(`${location.origin}/api/echo`), authFetch(new URL('/api/echo', location.href))]);
      return { refused, own: own.map((r) => r.status) };
    }, other);
    expect(results).toEqual({ refused: 'ERR_INVALID_REQUEST', own: [200, 200, 200] });
    // One token, three authorized calls: the refused call reached nothing.
    expect(app.tokenRequests).toBe(1);
    expect(app.apiAuthorizations).toHaveLength(3);
  });

  it('raised no error in any page', () => {
    expect(pageErrors).toEqual([]);
  });
});
