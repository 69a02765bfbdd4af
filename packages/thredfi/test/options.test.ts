import { ConfigurationError } from '@fintoken/core';
import { describe, expect, it } from 'vitest';
import { createThredfiClient, type ThredfiClientOptions } from '../src/index.js';

const apiKey = 'sk_live_options_test_9d2f';
const partnerId = '123e4567-e89b-12d3-a456-426614174000';

/** The ConfigurationError message for these options ('' when they are accepted). */
function complaint(options: Partial<ThredfiClientOptions> | undefined): string {
  try {
    createThredfiClient(options as ThredfiClientOptions);
    return '';
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    expect(error.message).not.toContain(apiKey);
    return error.message;
  }
}

describe('createThredfiClient options', () => {
  it('needs a partner UUID and an API key', () => {
    expect(complaint({})).toMatch(/partnerId: is required.*apiKey: is required/);
    expect(complaint({ partnerId: 'partner-1', apiKey })).toContain('partnerId');
    expect(complaint({ partnerId, apiKey: '' })).toContain('apiKey');
    expect(complaint(undefined)).toContain('createThredfiClient');
  });

  it('defaults to the sandbox and its documented host', () => {
    const client = createThredfiClient({ partnerId, apiKey });
    expect(client.environment).toBe('sandbox');
    expect(JSON.stringify(client)).toContain('"apiUrl":"https://sandbox.thredfi.com"');
  });

  it('requires baseUrl in production, where the seed names no host', () => {
    expect(complaint({ partnerId, apiKey, environment: 'production' })).toContain('baseUrl: is required in production');
    expect(complaint({ partnerId, apiKey, environment: 'production', baseUrl: 'https://api.example.com' })).toBe('');
  });

  it('refuses plain http except on loopback, in the default sandbox environment too, unless allowInsecureHttp says so', () => {
    expect(complaint({ partnerId, apiKey, environment: 'production', baseUrl: 'http://api.example.com' })).toContain('baseUrl: must use https');
    expect(complaint({ partnerId, apiKey, environment: 'production', baseUrl: 'http://127.0.0.1:8080/thredfi' })).toBe('');
    // The environment defaults to sandbox: a production host given without it is not plain http either.
    expect(complaint({ partnerId, apiKey, baseUrl: 'http://api.thredfi.example' })).toContain('baseUrl: must use https');
    expect(complaint({ partnerId, apiKey, environment: 'sandbox', baseUrl: 'http://thredfi-emulator:8080' })).toContain('baseUrl: must use https');
    expect(complaint({ partnerId, apiKey, environment: 'sandbox', baseUrl: 'http://thredfi-emulator:8080', allowInsecureHttp: true })).toBe('');
  });

  it('refuses an unknown environment and malformed URLs', () => {
    expect(complaint({ partnerId, apiKey, environment: 'staging' as never })).toContain('environment');
    expect(complaint({ partnerId, apiKey, baseUrl: 'sandbox.thredfi.com' })).toContain('baseUrl: must be an absolute URL');
    expect(complaint({ partnerId, apiKey, baseUrl: 'https://k:s@sandbox.thredfi.com' })).toContain('credentials');
  });
});
