// Regenerates docs/screenshot.png (shown in the root README) from the real demo in Chromium:
// the sign-in page, which is what a newcomer sees first. Build first, then run it:
//   pnpm --filter @fintoken/demo build && pnpm --filter @fintoken/demo screenshot
// The system Chromium (/usr/bin/chromium; CHROMIUM to override), never `playwright install`.
// SANDBOX_SEED keeps the business ids on the page the same from one run to the next.
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startDemo } from '../dist/server.js';

const out = fileURLToPath(new URL('../docs/screenshot.png', import.meta.url));
const demo = await startDemo({ port: 0, env: { SANDBOX_SEED: 'readme-screenshot' }, log: () => undefined });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 460 }, deviceScaleFactor: 1 });
  // Nothing beyond the demo itself: the page must render without the network.
  await page.route('**/*', (route) => (new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort()));
  await page.goto(demo.url);
  await page.waitForSelector('body[data-ready="true"]');
  await page.waitForSelector('#signin:not([hidden]) [data-signin="alice"]');
  await page.screenshot({ path: out });
  process.stdout.write(`wrote ${out}\n`);
} finally {
  await browser.close();
  await demo.close();
}
