import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { LaunchOptions, Page } from 'playwright-core';

/** The system Chromium (never `playwright install`), quiet: no network beyond loopback. */
export const launchOptions: LaunchOptions = {
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
};

/** The page is bundled by the build (turbo runs it before test); say so rather than fail obscurely. */
export function assertBundleBuilt(): void {
  const bundle = fileURLToPath(new URL('../dist/web/app.js', import.meta.url));
  if (!existsSync(bundle)) throw new Error('dist/web/app.js is missing: run `pnpm --filter @fintoken/layer-react build` first');
}

/**
 * Only loopback is reachable: anything else the page asks for (a web font, analytics) is aborted
 * at once, so the page never waits on the outside world. Returns the URLs that were aborted.
 */
export async function loopbackOnly(page: Page): Promise<string[]> {
  const aborted: string[] = [];
  await page.route('**/*', (route) => {
    const { hostname } = new URL(route.request().url());
    if (hostname === '127.0.0.1' || hostname === 'localhost') return route.continue();
    aborted.push(route.request().url());
    return route.abort();
  });
  return aborted;
}
