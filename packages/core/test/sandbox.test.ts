import { startSandbox, type Sandbox } from '@fintoken/sandbox';
import { Agent } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { ConfigurationError, NetworkError, ProviderError, ResponseValidationError, TimeoutError, transportRuntime, type FintokenEvent } from '../src/index.js';
import { createProviderClient, fetchClientCredentialsToken } from '../src/provider.js';
import { testTransport } from './transport.js';

// The transport contract against the real emulators, once per path (vitest.config.ts).
const transport = inject('transport');
const path = inject('path');
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ providers: ['layer', 'layer1'] });
});
afterAll(() => sandbox.close());
afterEach(() => sandbox.faults.clear());

const layer1 = () => ({ tokenUrl: sandbox.urls.layer1.tokenUrl, ...sandbox.credentials.layer1, authMethod: 'client_secret_post' as const });

describe(`transport contract over ${path}, against the sandbox`, () => {
  it(`runs on the ${transport} transport`, () => {
    expect(transportRuntime).toBe(transport);
  });

  it('gets a Layer token with Basic credentials and a Layer1 token with form credentials', async () => {
    const { clientId, clientSecret } = sandbox.credentials.layer;
    const layer = await fetchClientCredentialsToken(
      { tokenUrl: sandbox.urls.layer.authUrl, clientId, clientSecret, authMethod: 'client_secret_basic', clientIdInBody: true, fields: { scope: 'https://sandbox.layerfi.com/sandbox' } },
      testTransport(),
    );
    expect(layer.accessToken.split('.')).toHaveLength(3);
    const keycloak = await fetchClientCredentialsToken(layer1(), testTransport());
    expect(keycloak.expiresAt).toBeGreaterThan(Date.now());
  });

  it('retries a 503 with Retry-After, then succeeds', async () => {
    sandbox.faults.inject('layer1.token', { status: 503, retryAfter: 1 });
    const events: FintokenEvent[] = [];
    const before = sandbox.stats.count('layer1.token');
    await fetchClientCredentialsToken(layer1(), testTransport({}, events));
    expect(events.find((e) => e.type === 'retry.scheduled')?.delayMs).toBe(1000);
    expect(sandbox.stats.count('layer1.token') - before).toBe(2);
  });

  it('maps a hung endpoint and a body slower than the deadline to TimeoutError', async () => {
    sandbox.faults.inject('layer1.token', [{ hang: true }, { slowBodyMs: 5_000 }]);
    const t = testTransport({ timeoutMs: 300, retry: false });
    await expect(fetchClientCredentialsToken(layer1(), t)).rejects.toBeInstanceOf(TimeoutError);
    await expect(fetchClientCredentialsToken(layer1(), t)).rejects.toBeInstanceOf(TimeoutError);
  });

  it('maps a dropped connection to NetworkError after retrying', async () => {
    sandbox.faults.inject('layer1.token', { drop: true, times: 2 });
    const before = sandbox.stats.count('layer1.token');
    const error = await fetchClientCredentialsToken(layer1(), testTransport({ retry: { attempts: 2, baseDelayMs: 1 } })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect(sandbox.stats.count('layer1.token') - before).toBe(2);
  });

  it('refuses a body over the cap, and redacts a secret the provider echoes', async () => {
    const { clientSecret } = sandbox.credentials.layer1;
    sandbox.faults.inject('layer1.token', [
      { body: { raw: JSON.stringify({ access_token: 'x'.repeat(5_000), expires_in: 60 }) } },
      { status: 400, body: { raw: JSON.stringify({ error: 'invalid_request', error_description: `bad secret ${clientSecret}` }) } },
    ]);
    const t = testTransport({ maxBodyBytes: 1024, retry: false }, [], [clientSecret]);
    await expect(fetchClientCredentialsToken(layer1(), t)).rejects.toMatchObject({ code: 'ERR_RESPONSE_VALIDATION', field: '(body)' });
    const error = (await fetchClientCredentialsToken(layer1(), t).catch((e: unknown) => e)) as ProviderError;
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.message).toContain('[REDACTED]');
    expect(JSON.stringify(error) + error.message + String(error.stack)).not.toContain(clientSecret);
  });

  it('honours the dispatcher option on undici and refuses it with ConfigurationError on fetch (Node only)', async () => {
    let dispatched = 0;
    const dispatcher = new (class extends Agent {
      override dispatch(...args: Parameters<Agent['dispatch']>) {
        dispatched += 1;
        return super.dispatch(...args);
      }
    })();
    const create = () =>
      createProviderClient({ provider: 'test', environment: 'default', clientId: 'c', secrets: [], options: { dispatcher }, fetchToken: () => Promise.reject(new Error('unused')) });
    const fetchToken = () => fetchClientCredentialsToken(layer1(), testTransport({ dispatcher, retry: false }));
    try {
      if (transport === 'undici') {
        expect(create).not.toThrow();
        await expect(fetchToken()).resolves.toMatchObject({ tokenType: 'Bearer' });
        expect(dispatched).toBe(1);
      } else {
        expect(create).toThrow(ConfigurationError);
        await expect(fetchToken()).rejects.toBeInstanceOf(ConfigurationError);
        expect(dispatched).toBe(0);
      }
    } finally {
      await dispatcher.close();
    }
  });
});
