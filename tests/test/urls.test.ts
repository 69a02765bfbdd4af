import { createAssetClient } from '@fintoken/asset';
import { ConfigurationError, FintokenError, InvalidRequestError } from '@fintoken/core';
import { withToken } from '@fintoken/express';
import { createLayerClient } from '@fintoken/layer';
import { createLayer1Client } from '@fintoken/layer1';
import { startSandbox, type Sandbox } from '@fintoken/sandbox';
import { createThredfiClient } from '@fintoken/thredfi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outcome } from './support/targets.js';
import { expectNoUnhandledRejections, trackUnhandledRejections } from './support/unhandled.js';

const rejections = trackUnhandledRejections();

/** Each URL option of each factory, built for production (where a real secret travels). */
const URL_OPTIONS: Array<[string, (url: string) => unknown]> = [
  ['createLayerClient authUrl', (url) => createLayerClient({ clientId: 'id', clientSecret: 'secret', environment: 'production', authUrl: url })],
  ['createLayerClient apiUrl', (url) => createLayerClient({ clientId: 'id', clientSecret: 'secret', environment: 'production', apiUrl: url })],
  [
    'createThredfiClient baseUrl',
    (url) => createThredfiClient({ partnerId: '6f1c2d3e-4a5b-4c6d-8e7f-0123456789ab', apiKey: 'sk_live_x', environment: 'production', baseUrl: url }),
  ],
  ['createAssetClient baseUrl', (url) => createAssetClient({ clientId: 'id', clientSecret: 'secret', environment: 'production', baseUrl: url })],
  ['createLayer1Client tokenUrl', (url) => createLayer1Client({ clientId: 'id', clientSecret: 'secret', tokenUrl: url })],
  ['createLayer1Client apiUrl', (url) => createLayer1Client({ clientId: 'id', clientSecret: 'secret', tokenUrl: 'https://auth.example.com/t', apiUrl: url })],
  ['withToken apiUrl', (url) => withToken({ client: { provider: 'x', getToken: async () => ({ accessToken: 'a', tokenType: 'Bearer', expiresAt: 0 }) }, apiUrl: url })],
];

// Plain http to a host that is not loopback, however it is disguised, and URLs that are not http(s).
const REFUSED = [
  'http://example.com',
  'http://example.com/oauth2/token',
  'http://127.0.0.1.nip.io/',
  'http://localhost.example.com/',
  'http://127.0.0.1@example.com/',
  'http://example.com\\@127.0.0.1/',
  'http://[::ffff:7f00:1]/',
  'ftp://example.com/',
  'file:///etc/passwd',
  'javascript:alert(1)',
  'example.com',
  '',
];

// Loopback: where the sandbox and local emulators live.
const ACCEPTED = ['http://127.0.0.1', 'http://127.0.0.1:4010/layer', 'http://localhost:4010', 'http://[::1]:4010', 'http://127.1.2.3/', 'https://example.com'];

describe.each(URL_OPTIONS)('%s', (_name, build) => {
  it.each(REFUSED)('refuses %j with a ConfigurationError', (url) => {
    let error: unknown;
    try {
      build(url);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
  });

  it.each(ACCEPTED)('accepts %s', (url) => {
    expect(() => build(url)).not.toThrow();
  });
});

describe('client.fetch sends a token only to its own API URL', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 'urls' });
  });
  afterAll(async () => {
    await sandbox?.close();
  });
  const layer = () =>
    createLayerClient({ ...sandbox.credentials.layer, environment: 'sandbox', authUrl: sandbox.urls.layer.authUrl, apiUrl: sandbox.urls.layer.apiUrl, retry: false });

  it.each([
    ['another host', () => 'https://attacker.example/collect'],
    ['another port of the same host', () => sandbox.url.replace(/:(\d+)$/, (_m, p: string) => `:${Number(p) + 1}`) + '/layer/whoami'],
    ['another scheme', () => sandbox.url.replace('http:', 'https:') + '/layer/whoami'],
    ['the same origin outside the API path', () => `${sandbox.url}/asset/v0/businesses/x`],
    ['a look-alike path prefix', () => `${sandbox.url}/layerx/whoami`],
    ['a dot-segment escape in an absolute URL', () => `${sandbox.url}/layer/../asset/v0/businesses/x`],
  ])('refuses an absolute URL to %s before getting a token', async (_label, url) => {
    sandbox.stats.reset();
    const result = await outcome(() => layer().fetch(url()));
    expect(result.error).toBeInstanceOf(InvalidRequestError);
    expect(sandbox.stats.count('layer.token')).toBe(0);
    expect(sandbox.stats.count('asset.business')).toBe(0);
  });

  it.each(['//attacker.example/collect', '\\\\attacker.example/collect'])('keeps the relative path %s on the API host', async (path) => {
    const result = await outcome(() => layer().fetch(path));
    expect(result.error).toBeUndefined();
    expect(result.value!.url.startsWith(`${sandbox.urls.layer.apiUrl}/`)).toBe(true);
  });

  // Regression test for a bug this suite found (fixed in core since): before the fix, core's authorizedFetch checks absolute
  // URLs against the API URL but appends a relative path unchecked, so dot segments (`..`, or
  // `%2e%2e`, which URL parsing treats the same) climb out of the API URL's path prefix and the
  // Layer token is sent to another service on the same origin (here the Asset emulator).
  it.each(['/../asset/v0/businesses/x', '%2e%2e/asset/v0/businesses/x', 'v1/../../asset/v0/businesses/x'])(
    'refuses (or keeps under the API path) the relative path %s',
    async (path) => {
      sandbox.stats.reset();
      const result = await outcome(() => layer().fetch(path));
      if (result.error === undefined) expect(result.value!.url.startsWith(`${sandbox.urls.layer.apiUrl}/`)).toBe(true);
      else expect(result.error).toBeInstanceOf(FintokenError);
      expect(sandbox.stats.count('asset.business'), 'requests that reached the Asset emulator with a Layer token').toBe(0);
    },
  );
});

expectNoUnhandledRejections(rejections);
