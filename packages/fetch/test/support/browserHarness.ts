import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import type * as Fintoken from '../../src/index.js';
import type * as FintokenTabs from '../../src/tabs.js';
import { startAppServer, type AppServer } from './appServer.js';

// What the test page exposes (see `page` below); tests add their own fields.
declare global {
  interface Window {
    fintoken: typeof Fintoken;
    fintokenTabs: typeof FintokenTabs;
    authFetch: Fintoken.AuthFetch;
    events: Fintoken.FintokenEvent[];
    clock: number;
    ready: boolean;
  }
}

const page = `<!doctype html><meta charset="utf-8"><title>@fintoken/fetch</title>
<script type="module">
  import * as fintoken from '/index.js';
  import * as fintokenTabs from '/tabs.js';
  window.fintoken = fintoken;
  window.fintokenTabs = fintokenTabs;
  window.events = [];
  window.clock = Date.now();
  window.ready = true;
</script>`;

export interface BrowserHarness {
  app: AppServer;
  browser: Browser;
  newContext(): Promise<BrowserContext>;
  close(): Promise<void>;
}

/**
 * A real token endpoint (test/support/appServer.ts, on the sandbox) serving a page that loads the
 * package as a browser gets it: its two entries and what they pull from @fintoken/core/cache, as
 * ESM files sharing chunks; and the system Chromium (never `playwright install`).
 */
export async function startBrowserHarness(): Promise<BrowserHarness> {
  const app = await startAppServer();
  const bundle = await build({
    entryPoints: ['index', 'tabs'].map((name) => fileURLToPath(new URL(`../../src/${name}.ts`, import.meta.url))),
    outdir: '/',
    splitting: true,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
  });
  app.files.set('/', { body: page, type: 'text/html; charset=utf-8' });
  for (const file of bundle.outputFiles) app.files.set(file.path, { body: file.text, type: 'text/javascript' });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const contexts: BrowserContext[] = [];
  return {
    app,
    browser,
    async newContext() {
      const context = await browser.newContext();
      contexts.push(context);
      return context;
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close();
      await app.close();
    },
  };
}
