import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLayerReactApp, type LayerReactApp } from '../src/server.js';
import { assertBundleBuilt, launchOptions, loopbackOnly } from './browser.js';

// 20 s business tokens (Layer's session_duration): two rotations fit well inside the bound.
const sessionDuration = 20;
const rotationsWanted = 2;
const rotationBoundMs = 75_000;

let app: LayerReactApp;
let browser: Browser;
let page: Page;
const sent: Array<{ method: string; url: string }> = [];
const statuses: number[] = [];
let tokenPosts = 0;

beforeAll(async () => {
  assertBundleBuilt();
  app = await startLayerReactApp({ sessionDuration });
  browser = await chromium.launch(launchOptions);
  page = await browser.newPage();
  await loopbackOnly(page);
  const api = app.sandbox.urls.layer.apiUrl;
  page.on('request', (r) => {
    if (r.url().startsWith(`${app.url}/api/layer/business-token`)) tokenPosts += 1;
    if (r.url().startsWith(api) && r.method() !== 'OPTIONS') sent.push({ method: r.method(), url: r.url() });
  });
  page.on('response', (r) => {
    if (r.url().startsWith(api) && r.request().method() !== 'OPTIONS') statuses.push(r.status());
  });
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

const rotations = async () => Number(await page.getByTestId('rotations').textContent());

describe("apps/layer-react: Layer's LayerProvider fed by useBusinessToken, in Chromium", () => {
  it("renders Layer's ChartOfAccounts from the sandbox with the hook's business token, and shows its expiry", async () => {
    await page.goto(app.url);
    await page.getByText('Checking').first().waitFor({ timeout: 20_000 });
    await expect.poll(() => page.getByTestId('token-exp').textContent()).toMatch(/\d\d:\d\d:\d\d/);
    for (const name of ['Assets', 'Liabilities', 'Revenue', 'Software subscriptions']) {
      expect(await page.getByText(name).count()).toBeGreaterThan(0);
    }
  });

  it('keeps every request of the components on a live token over two rotations, with zero 401s', async () => {
    const started = Date.now();
    const exps = new Set<string>();
    while ((await rotations()) < rotationsWanted) {
      if (Date.now() - started > rotationBoundMs) throw new Error(`only ${await rotations()} rotations in ${rotationBoundMs} ms`);
      exps.add((await page.getByTestId('token-exp').textContent()) ?? '');
      await page.waitForTimeout(500);
    }
    exps.add((await page.getByTestId('token-exp').textContent()) ?? '');
    // After the last rotation, the components refetch with the new token.
    await expect.poll(() => distinctTokensOf('layer.ledgerBalances'), { timeout: 15_000 }).toBeGreaterThanOrEqual(rotationsWanted + 1);
    await page.getByText('Checking').first().waitFor();

    // Whatever was in flight has landed: the page and the sandbox saw the same requests.
    await expect.poll(() => sent.length === statuses.length && sent.length === app.sandbox.apiRequests.list().length).toBe(true);
    const records = app.sandbox.apiRequests.list();
    const endpoints = new Set(records.map((r) => r.endpoint));
    expect([...endpoints].sort()).toEqual(
      ['layer.accountingConfig', 'layer.bankAccounts', 'layer.bookkeepingStatus', 'layer.business', 'layer.ledgerBalances'],
    );
    for (const r of records) {
      expect(r, `${r.path} at ${r.receivedAt}`).toMatchObject({ status: 200, live: true, tokenBusinessId: app.businessId });
      expect(r.tokenExp! * 1000).toBeGreaterThan(r.receivedAt);
    }
    expect(app.sandbox.apiRequests.summary()).toMatchObject({ unauthorized: 0, notLive: 0 });
    expect(app.sandbox.apiRequests.summary().distinctTokens).toBeGreaterThanOrEqual(rotationsWanted + 1);
    // The page's own view agrees: nothing came back 401.
    expect(statuses.filter((s) => s === 401)).toEqual([]);
    expect(exps.size).toBeGreaterThanOrEqual(rotationsWanted + 1);
    // One token-endpoint request per token: asked inside the server's refresh window, the endpoint
    // answers with the replacement, so the hook never has to come back for it (one more may be in flight).
    expect(tokenPosts).toBeGreaterThanOrEqual(rotationsWanted + 1);
    expect(tokenPosts).toBeLessThanOrEqual(app.sandbox.stats.count('layer.businessToken') + 1);
    // businessAccessToken mode only: the page never asks Layer's auth server for a token itself.
    expect(sent.some((r) => r.url.startsWith(app.sandbox.urls.layer.authUrl))).toBe(false);
  });
});

describe('apps/layer-react: the layout, in Chromium', () => {
  it.each([1400, 900])("keeps the Chart of Accounts header controls inside the card at %i px, with the demo's button style", async (width) => {
    const wide = await browser.newPage({ viewport: { width, height: 900 } });
    try {
      await loopbackOnly(wide);
      await wide.goto(app.url);
      await wide.getByText('Checking').first().waitFor({ timeout: 20_000 });
      const layout = await wide.evaluate(() => {
        const card = document.querySelector('.Layer__chart-of-accounts')!.getBoundingClientRect();
        const right = (el: Element | null | undefined) => (el ? Math.round(el.getBoundingClientRect().right) : Number.NaN);
        const button = [...document.querySelectorAll('button')].find((b) => b.textContent?.includes('Add Account'));
        const search = document.querySelector('input[placeholder="Search accounts"]');
        const refresh = [...document.querySelectorAll('button')].find((b) => b.textContent?.includes('Refresh now'))!;
        const style = getComputedStyle(refresh);
        return {
          cardRight: Math.round(card.right),
          controls: [right(button), right(search)],
          page: { scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth },
          refresh: { radius: style.borderRadius, background: style.backgroundColor },
        };
      });
      for (const edge of layout.controls) expect(edge).toBeLessThanOrEqual(layout.cardRight);
      expect(layout.page.scroll).toBe(layout.page.client);
      expect(layout.refresh).toEqual({ radius: '8px', background: 'rgb(17, 24, 39)' });
    } finally {
      await wide.close();
    }
  });
});

function distinctTokensOf(endpoint: string): number {
  return new Set(app.sandbox.apiRequests.list().filter((r) => r.endpoint === endpoint).map((r) => r.tokenId)).size;
}
