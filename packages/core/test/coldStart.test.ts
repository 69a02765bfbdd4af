import { startSandbox, type Sandbox } from '@fintoken/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coreEntry, filesOf, probeFreshProcess, type ProbeTarget } from './freshProcess.js';
import { startProxy, type TestProxy } from './proxyServer.js';

// What a serverless cold start loads before its first token (README, "Runtimes"): a new node
// process importing the built package, as Lambda or Vercel start one, with nothing else loaded.
let sandbox: Sandbox;
let proxy: TestProxy;
let target: ProbeTarget;
beforeAll(async () => {
  sandbox = await startSandbox({ providers: ['layer1'] });
  proxy = await startProxy();
  target = { tokenUrl: sandbox.urls.layer1.tokenUrl, apiUrl: sandbox.urls.layer1.apiUrl, ...sandbox.credentials.layer1 };
});
afterAll(async () => {
  await proxy?.close();
  await sandbox?.close();
});

describe('a fresh Node process, from import to first token', () => {
  it.each(['esm', 'cjs'] as const)('loads no undici and only the decoder of jose, over the global fetch (%s)', async (format) => {
    const before = sandbox.stats.count('layer1.token');
    const result = await probeFreshProcess(format, target);
    expect(result).toMatchObject({ live: true, apiStatus: 200 });
    expect(sandbox.stats.count('layer1.token') - before).toBe(1);
    expect(result.loaded).toContain(coreEntry(format));
    expect(filesOf('undici', result.loaded)).toEqual([]);
    const jose = filesOf('jose', result.loaded);
    expect(jose.some((path) => path.endsWith('/util/decode_jwt.js'))).toBe(true);
    expect(jose.filter((path) => /\/dist\/webapi\/index\.js$|\/jw[se]\/|\/jwks\/|\/key\//.test(path))).toEqual([]);
  });

  it.each(['esm', 'cjs'] as const)('loads undici on first need only: when a proxy variable is set (%s)', async (format) => {
    const forwarded = proxy.forwarded.length;
    const result = await probeFreshProcess(format, target, { HTTP_PROXY: proxy.url });
    expect(result).toMatchObject({ live: true, apiStatus: 200 });
    expect(filesOf('undici', result.loaded).length).toBeGreaterThan(0);
    // Both the token request and the API call went through the proxy.
    expect(proxy.forwarded.slice(forwarded).map((line) => line.split(' ')[0])).toEqual(['POST', 'GET']);
  });
});
