import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createContext, runInContext } from 'node:vm';
import { startSandbox, type Sandbox } from '@fintoken/sandbox';
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The four providers as wrangler bundles a Worker (conditions workerd, worker, browser): the
// `#transport` conditions of @fintoken/core must pick http.fetch, so nothing of Node or undici
// is left. Resolution goes through the built package (dist/ and package.json "imports"), as a
// user's bundler sees it. Then the bundle runs where there is no require, process or Buffer.
const providers = ['layer', 'thredfi', 'asset', 'layer1'] as const;
const entry = [
  ...providers.map((name) => `export * from ${JSON.stringify(fileURLToPath(new URL(`../../${name}/src/index.ts`, import.meta.url)))};`),
  // Resolved from a provider's directory, as its own `@fintoken/core` import is.
  `export { transportRuntime, TimeoutError, NetworkError } from '@fintoken/core';`,
].join('\n');

const wranglerLike: BuildOptions = {
  stdin: { contents: entry, resolveDir: fileURLToPath(new URL('../../layer/', import.meta.url)), loader: 'ts' },
  bundle: true,
  platform: 'neutral',
  conditions: ['workerd', 'worker', 'browser'],
  mainFields: ['browser', 'module', 'main'],
  target: 'es2022',
  write: false,
  metafile: true,
  logLevel: 'silent',
};

/** Globals a fetch-only runtime (workerd, edge) has; nothing of Node's. */
const webGlobals = {
  fetch, Request, Response, Headers, FormData, Blob, AbortController, AbortSignal, Event, EventTarget, DOMException,
  ReadableStream, WritableStream, TransformStream, TextEncoder, TextDecoder, URL, URLSearchParams, crypto,
  btoa, atob, setTimeout, clearTimeout, setInterval, clearInterval, queueMicrotask, structuredClone, console,
};

// Run from packages/layer, whose dependency @fintoken/core is: once as ESM, once as CJS.
const PROBE = `import { createRequire } from 'node:module';
const esm = await import('@fintoken/core');
const cjs = createRequire(process.cwd() + '/')('@fintoken/core');
console.log(esm.transportRuntime, cjs.transportRuntime);`;

let sandbox: Sandbox;
let esm: { text: string; metafile: Metafile };
beforeAll(async () => {
  sandbox = await startSandbox({ providers: [...providers] });
  const result = await build({ ...wranglerLike, format: 'esm' });
  esm = { text: result.outputFiles![0]!.text, metafile: result.metafile! };
}, 60_000);
afterAll(() => sandbox?.close());

describe('the providers bundled for workerd (wrangler conditions)', () => {
  it('leave no import of a Node built-in or undici', () => {
    const inputs = Object.keys(esm.metafile.inputs);
    expect(inputs.filter((path) => /(^|\/)dist\/http\.fetch\.js$/.test(path))).toHaveLength(1);
    expect(inputs.filter((path) => /undici|http\.node|^node:/.test(path))).toEqual([]);
    const imports = Object.values(esm.metafile.outputs).flatMap((output) => output.imports.map((i) => i.path));
    expect(imports).toEqual([]);
    expect(esm.text).not.toMatch(/\bfrom\s*["']node:|\brequire\(|\bimport\(\s*["']/);
    // zod is bundled (tree-shaken into core's own dist, see src/schema.ts) and jose as its Web API build.
    expect(inputs.some((path) => path.includes('/zod/'))).toBe(false);
    expect(esm.text).toContain('$ZodObject');
    expect(inputs.some((path) => path.includes('/jose/dist/webapi/'))).toBe(true);
  });

  // What each runtime's resolver asks for (README, "Runtimes"): the transport file it gets.
  it.each([
    ['Vercel edge', ['edge-light', 'worker', 'browser'], 'http.fetch'],
    ['a browser', ['browser'], 'http.fetch'],
    ['Deno', ['deno', 'node'], 'http.fetch'],
    ['Bun', ['bun', 'node'], 'http.fetch'],
    ['an unknown runtime', [], 'http.fetch'],
    ['Node', ['node'], 'http.node'],
  ])('resolve #transport for %s (conditions %j) to %s', async (_name, conditions, file) => {
    // Through `import` (dist/index.js) and through `require` (dist/index.cjs).
    for (const [contents, ext] of [["export * from '@fintoken/core';", 'js'], ["module.exports = require('@fintoken/core');", 'cjs']] as const) {
      const { metafile } = await build({ ...wranglerLike, stdin: { ...wranglerLike.stdin!, contents }, conditions, external: ['undici', 'zod', 'jose'] });
      const transports = Object.keys(metafile!.inputs).filter((path) => /dist\/http\.(node|fetch)\.c?js$/.test(path));
      expect(transports).toEqual([`dist/${file}.${ext}`]);
    }
  });

  it("agrees with Node's own resolver (import and require, with and without --conditions)", () => {
    const cwd = fileURLToPath(new URL('../../layer/', import.meta.url));
    const probe = (flags: string[]) =>
      execFileSync(process.execPath, [...flags, '--input-type=module', '-e', PROBE], { cwd, encoding: 'utf8' }).trim();
    expect(probe([])).toBe('undici undici');
    expect(probe(['--conditions=workerd'])).toBe('fetch fetch');
    expect(probe(['--conditions=deno'])).toBe('fetch fetch');
  });

  it('run with Web globals only and get every provider a token from the sandbox through the global fetch', async () => {
    const script = (await build({ ...wranglerLike, format: 'iife', globalName: 'fintoken', metafile: false })).outputFiles![0]!.text;
    let fetches = 0;
    const context = createContext({ ...webGlobals, fetch: (...args: Parameters<typeof fetch>) => (fetches++, fetch(...args)) });
    runInContext(script, context);
    expect(runInContext('[typeof require, typeof process, typeof Buffer, typeof module, fintoken.transportRuntime]', context)).toEqual([
      'undefined', 'undefined', 'undefined', 'undefined', 'fetch',
    ]);
    const run = runInContext(`(async (s) => {
      const layer = fintoken.createLayerClient({ ...s.credentials.layer, environment: 'sandbox', authUrl: s.urls.layer.authUrl, apiUrl: s.urls.layer.apiUrl });
      const thredfi = fintoken.createThredfiClient({ ...s.credentials.thredfi, baseUrl: s.urls.thredfi.baseUrl });
      const asset = fintoken.createAssetClient({ ...s.credentials.asset, environment: 'sandbox', baseUrl: s.urls.asset.baseUrl });
      const layer1 = fintoken.createLayer1Client({ clientId: s.credentials.layer1.clientId, clientSecret: s.credentials.layer1.clientSecret, tokenUrl: s.urls.layer1.tokenUrl });
      const tokens = await Promise.all([
        layer.getToken(), layer.getBusinessToken(s.businesses.layer.active[0]), thredfi.getToken(),
        thredfi.getBusinessToken(s.businesses.thredfi.owned[0]), asset.getToken(), layer1.getToken(),
      ]);
      const whoami = await layer.whoami();
      return { tokens: tokens.map((t) => ({ parts: t.accessToken.split('.').length, live: t.expiresAt > Date.now() })), whoami: typeof whoami };
    })`, context) as (s: unknown) => Promise<{ tokens: unknown[]; whoami: string }>;
    const before = sandbox.stats.snapshot();
    const result = await run(sandbox);
    expect(result.tokens).toEqual(Array.from({ length: 6 }, () => ({ parts: 3, live: true })));
    expect(result.whoami).toBe('object');
    expect(sandbox.stats.count('layer.businessToken') - before['layer.businessToken']).toBe(1);
    // A hung endpoint: the AbortSignal deadline ends it with the same typed error as on Node.
    sandbox.faults.inject('layer1.token', { hang: true });
    const timeout = runInContext(`(s) => fintoken.createLayer1Client({ clientId: s.credentials.layer1.clientId, clientSecret: s.credentials.layer1.clientSecret, tokenUrl: s.urls.layer1.tokenUrl, timeoutMs: 200, retry: false })
      .getToken().then(() => 'no error', (e) => [e.name, e.code, e instanceof fintoken.TimeoutError])`, context) as (s: unknown) => Promise<unknown>;
    await expect(timeout(sandbox)).resolves.toEqual(['TimeoutError', 'ERR_TIMEOUT', true]);
    expect(fetches).toBeGreaterThanOrEqual(8);
  });
});
