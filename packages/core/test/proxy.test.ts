import { inspect } from 'node:util';
import { startSandbox, type Sandbox } from '@fintoken/sandbox';
import { Agent } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConfigurationError, NetworkError, type CommonOptions } from '../src/index.js';
import { createProviderClient, fetchClientCredentialsToken } from '../src/provider.js';
import { probeFreshProcess } from './freshProcess.js';
import { startProxy, startTlsFront, type TestProxy, type TlsFront } from './proxyServer.js';

// HTTPS_PROXY, HTTP_PROXY and NO_PROXY on Node (README, "Proxies"), through a real proxy on
// loopback: http URLs forwarded in absolute form, https URLs tunnelled with CONNECT.
const VARIABLES = ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'NO_PROXY', 'no_proxy'];
const PASSWORD = 'pr0xy-pa55-CANARY';

let sandbox: Sandbox;
let proxy: TestProxy;
let guarded: TestProxy;
let tls: TlsFront;
beforeAll(async () => {
  sandbox = await startSandbox({ providers: ['layer1'] });
  proxy = await startProxy();
  guarded = await startProxy({ credentials: `fin:${PASSWORD}` });
  tls = await startTlsFront(Number(new URL(sandbox.url).port));
});
afterAll(async () => {
  await Promise.all([proxy?.close(), guarded?.close(), tls?.close()]);
  await sandbox?.close();
});
const saved = Object.fromEntries(VARIABLES.map((name) => [name, process.env[name]]));
afterEach(() => {
  for (const name of VARIABLES) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

function layer1Client(options: CommonOptions = {}) {
  const { clientId, clientSecret } = sandbox.credentials.layer1;
  return createProviderClient({
    provider: 'layer1',
    environment: 'sandbox',
    clientId,
    secrets: [clientSecret],
    apiUrl: sandbox.urls.layer1.apiUrl,
    options: { retry: false, ...options },
    fetchToken: (_request, { transport }) =>
      fetchClientCredentialsToken({ tokenUrl: sandbox.urls.layer1.tokenUrl, clientId, clientSecret, authMethod: 'client_secret_post' }, transport),
  });
}

/** A token and one API call; what the proxy forwarded meanwhile. */
async function tokenAndApiCall(through: TestProxy, options: CommonOptions = {}) {
  const before = through.forwarded.length;
  const client = layer1Client(options);
  const token = await client.getToken();
  const api = await client.fetch('/api/v1/tenants');
  await api.body?.cancel();
  return { token, status: api.status, forwarded: through.forwarded.slice(before) };
}

describe('proxy variables on Node', () => {
  it('sends token requests and client.fetch for http URLs through HTTP_PROXY, forwarded in absolute form', async () => {
    process.env.HTTP_PROXY = proxy.url;
    const result = await tokenAndApiCall(proxy);
    expect(result.token.expiresAt).toBeGreaterThan(Date.now());
    expect(result.status).toBe(200);
    expect(result.forwarded).toEqual([`POST ${sandbox.urls.layer1.tokenUrl}`, `GET ${sandbox.urls.layer1.apiUrl}/api/v1/tenants`]);
  });

  it('reads the lowercase form first, as curl does', async () => {
    process.env.HTTP_PROXY = 'http://127.0.0.1:9';
    process.env.http_proxy = proxy.url;
    const result = await tokenAndApiCall(proxy);
    expect(result.forwarded).toHaveLength(2);
  });

  it('reaches the hosts NO_PROXY lists directly', async () => {
    process.env.HTTP_PROXY = proxy.url;
    process.env.NO_PROXY = 'localhost,127.0.0.1';
    const before = sandbox.stats.count('layer1.token');
    const result = await tokenAndApiCall(proxy);
    expect(result.status).toBe(200);
    expect(result.forwarded).toEqual([]);
    expect(sandbox.stats.count('layer1.token') - before).toBe(1);
  });

  it('lets an explicit dispatcher win over the variables', async () => {
    process.env.HTTP_PROXY = proxy.url;
    process.env.HTTPS_PROXY = proxy.url;
    const dispatcher = new Agent();
    try {
      const result = await tokenAndApiCall(proxy, { dispatcher });
      expect(result.status).toBe(200);
      expect(result.forwarded).toEqual([]);
    } finally {
      await dispatcher.close();
    }
  });

  it('authenticates to the proxy with the credentials of its URL', async () => {
    process.env.HTTP_PROXY = `http://fin:${PASSWORD}@127.0.0.1:${guarded.port}`;
    const result = await tokenAndApiCall(guarded);
    expect(result.status).toBe(200);
    expect(guarded.authorizations.slice(-2)).toEqual(Array(2).fill(`Basic ${Buffer.from(`fin:${PASSWORD}`).toString('base64')}`));
  });

  it("never shows the proxy's password: wrong credentials, a dead proxy, a malformed URL", async () => {
    const failures: unknown[] = [];
    // Wrong password: the proxy answers 407, which is configuration to fix (not retried).
    process.env.HTTP_PROXY = `http://fin:wrong-${PASSWORD}@127.0.0.1:${guarded.port}`;
    failures.push(await layer1Client().getToken().catch((e: unknown) => e));
    expect(failures.at(-1)).toBeInstanceOf(ConfigurationError);
    expect((failures.at(-1) as Error).message).toMatch(/407 Proxy Authentication Required/);
    // Nothing listens there.
    process.env.HTTP_PROXY = `http://fin:${PASSWORD}@127.0.0.1:9`;
    failures.push(await layer1Client().getToken().catch((e: unknown) => e));
    expect(failures.at(-1)).toBeInstanceOf(NetworkError);
    // undici's own error would quote the whole URL, password included.
    process.env.HTTP_PROXY = `http://fin:${PASSWORD}@bad host:3128`;
    failures.push(await layer1Client().getToken().catch((e: unknown) => e));
    expect(failures.at(-1)).toBeInstanceOf(ConfigurationError);
    expect((failures.at(-1) as Error).message).toMatch(/HTTP_PROXY/);
    const apiFailure = await layer1Client().fetch('/api/v1/tenants').catch((e: unknown) => e);
    expect(apiFailure).toBeInstanceOf(ConfigurationError);
    for (const error of [...failures, apiFailure]) {
      const e = error as Error;
      const seen = [e.message, String(e), e.stack, JSON.stringify(e), inspect(e, { depth: 5, showHidden: true })].join('\n');
      expect(seen).not.toContain(PASSWORD);
      expect(seen).not.toContain(Buffer.from(`fin:${PASSWORD}`).toString('base64'));
    }
  });

  it('tunnels https URLs through HTTPS_PROXY with CONNECT (fresh process, the proxy and TLS on loopback)', async () => {
    const connects = proxy.connects.length;
    const forwarded = proxy.forwarded.length;
    const before = sandbox.stats.count('layer1.token');
    const { clientId, clientSecret } = sandbox.credentials.layer1;
    const overTls = (url: string) => url.replace(sandbox.url, tls.origin);
    const result = await probeFreshProcess(
      'esm',
      { tokenUrl: overTls(sandbox.urls.layer1.tokenUrl), apiUrl: overTls(sandbox.urls.layer1.apiUrl), clientId, clientSecret },
      // The test's certificate is trusted through Node's own variable, read at startup.
      { HTTPS_PROXY: proxy.url, NODE_EXTRA_CA_CERTS: tls.caFile },
    );
    expect(result).toMatchObject({ live: true, apiStatus: 200 });
    expect(sandbox.stats.count('layer1.token') - before).toBe(1);
    const tunnels = proxy.connects.slice(connects);
    expect(tunnels.length).toBeGreaterThanOrEqual(1);
    expect(new Set(tunnels)).toEqual(new Set([`127.0.0.1:${tls.port}`]));
    expect(proxy.forwarded.length).toBe(forwarded);
  });
});
