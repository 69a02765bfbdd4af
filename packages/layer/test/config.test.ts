import { ConfigurationError } from '@fintoken/core';
import { startSandbox } from '@fintoken/sandbox';
import { describe, expect, it } from 'vitest';
import { createLayerClient, type LayerClientOptions } from '../src/index.js';

const secret = 'cfg-secret-value-7f3a9c';
const base = { clientId: 'client-1', clientSecret: secret, environment: 'production' } as const;

function configError(options: unknown): ConfigurationError {
  try {
    createLayerClient(options as LayerClientOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).not.toContain(secret);
    return error as ConfigurationError;
  }
  throw new Error('expected a ConfigurationError');
}

describe('options', () => {
  it('names every missing required field', () => {
    const { message } = configError({});
    for (const field of ['clientId', 'clientSecret', 'environment']) expect(message).toContain(`${field}: is required`);
  });

  it('refuses empty credentials and unknown environments', () => {
    expect(configError({ ...base, clientSecret: '' }).message).toContain('clientSecret');
    expect(configError({ ...base, environment: 'staging' }).message).toContain('environment');
    expect(configError(undefined).message).toContain('createLayerClient');
  });

  it('refuses plain-http URLs in production unless the host is loopback', () => {
    expect(configError({ ...base, authUrl: 'http://auth.example.com/oauth2/token' }).message).toContain('authUrl: must use https');
    expect(configError({ ...base, apiUrl: 'http://api.example.com' }).message).toContain('apiUrl: must use https');
    expect(() => createLayerClient({ ...base, authUrl: 'http://127.0.0.1:4010/oauth2/token', apiUrl: 'http://localhost:4010' })).not.toThrow();
  });

  it('refuses plain http to a non-loopback host in every environment unless allowInsecureHttp says so (an emulator on a docker network)', () => {
    expect(configError({ ...base, environment: 'sandbox', apiUrl: 'http://layer-emulator:4010' }).message).toContain('apiUrl: must use https');
    expect(configError({ ...base, environment: 'sandbox', authUrl: 'http://layer-emulator:4010/oauth2/token' }).message).toContain('authUrl: must use https');
    expect(() => createLayerClient({ ...base, environment: 'sandbox', apiUrl: 'http://layer-emulator:4010', allowInsecureHttp: true })).not.toThrow();
    expect(() => createLayerClient({ ...base, apiUrl: 'http://layer-emulator:4010', allowInsecureHttp: true })).not.toThrow();
    expect(configError({ ...base, apiUrl: 'http://layer-emulator:4010', allowInsecureHttp: 'yes' }).message).toContain('allowInsecureHttp');
  });

  it('refuses URLs with credentials, fragments or other schemes', () => {
    expect(configError({ ...base, apiUrl: 'https://user:pw@api.example.com' }).message).toContain('credentials');
    expect(configError({ ...base, apiUrl: 'https://api.example.com/#x' }).message).toContain('fragment');
    expect(configError({ ...base, authUrl: 'ftp://auth.example.com' }).message).toContain('authUrl');
    expect(configError({ ...base, authUrl: 'not a url' }).message).toContain('authUrl: must be an absolute URL');
  });

  it('validates the common options too', () => {
    expect(configError({ ...base, timeoutMs: -1 }).message).toContain('timeoutMs');
    expect(configError({ ...base, now: 5 }).message).toContain('now');
  });

  it('keeps the production scope when the URLs point at an emulator', async () => {
    // The emulator, started as production, grants only https://api.layerfi.com/production.
    const sandbox = await startSandbox({ providers: ['layer'], layerEnvironment: 'production' });
    try {
      const { clientId, clientSecret } = sandbox.credentials.layer;
      const urls = { authUrl: sandbox.urls.layer.authUrl, apiUrl: sandbox.urls.layer.apiUrl };
      const production = createLayerClient({ clientId, clientSecret, environment: 'production', ...urls });
      await expect(production.getToken()).resolves.toMatchObject({ tokenType: 'Bearer' });
      const sandboxEnv = createLayerClient({ clientId, clientSecret, environment: 'sandbox', ...urls });
      await expect(sandboxEnv.getToken()).rejects.toMatchObject({ status: 400, providerCode: 'invalid_scope' });
    } finally {
      await sandbox.close();
    }
  });
});
