import { AuthenticationError, ConfigurationError, InvalidRequestError, ProviderError } from '@fintoken/core';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { createAssetClient } from '../src/index.js';
import { useAssetSandbox } from './sandbox.js';

const env = useAssetSandbox();

/** A raw form POST to the emulated token endpoint, bypassing the client's own checks. */
async function rawToken(fields: Array<[string, string]>) {
  const { clientId, clientSecret } = env.sandbox.credentials.asset;
  const form = new URLSearchParams([['client_id', clientId], ['client_secret', clientSecret], ...fields]);
  const response = await request(`${env.sandbox.urls.asset.baseUrl}/v0/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
  });
  return { status: response.statusCode, body: (await response.body.json()) as { error: unknown; data: unknown } };
}

describe('Asset error responses (sandbox)', () => {
  it('401 bad secret -> AuthenticationError, not retried', async () => {
    const error = await env.client({ clientSecret: 'not-the-secret' }).getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ code: 'ERR_AUTHENTICATION', status: 401, provider: 'asset' });
    expect((error as Error).message).toContain('Invalid client credentials');
    expect(env.tokenRequests()).toBe(1);
  });

  it('403 for a business the client may not act for -> ProviderError, not AuthenticationError', async () => {
    const error = await env.client().getToken({ businessId: env.sandbox.businesses.asset.forbidden }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).not.toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ code: 'ERR_PROVIDER', status: 403 });
    expect(env.tokenRequests()).toBe(1);
  });

  it('404 for an unknown business -> ProviderError with the description', async () => {
    const error = await env.client().getToken({ businessId: 'biz_doesNotExist' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_PROVIDER', status: 404 });
    expect((error as Error).message).toMatch(/answered 404: Business biz_doesNotExist not found/);
  });

  it('a failed token request caches nothing: the next call asks again', async () => {
    const client = env.client();
    const unknown = { businessId: 'biz_missing' };
    await expect(client.getToken(unknown)).rejects.toBeInstanceOf(ProviderError);
    await expect(client.getToken(unknown)).rejects.toBeInstanceOf(ProviderError);
    expect(env.tokenRequests()).toBe(2);
  });
});

describe('422 cases are caught client-side, before any request', () => {
  it.each([0, -5, 1.5, Number.NaN])('expiresIn %s -> InvalidRequestError, zero sandbox requests', async (expiresIn) => {
    const error = await env.client().getToken({ expiresIn }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as Error).message).toMatch(/expiresIn/);
    expect(env.tokenRequests()).toBe(0);
  });

  it.each([
    ['relative path', '/ledger'],
    ['fragment', 'https://api.example.com/#section'],
    ['no scheme', 'api.example.com'],
    ['whitespace', 'https://api.example.com/a b'],
  ])('resource with a %s -> InvalidRequestError naming the index, not the value', async (_what, bad) => {
    const error = await env.client().getToken({ resource: ['https://ok.example.com', bad] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as Error).message).toContain('resource.1: must be an absolute URI without a fragment (RFC 8707 §2)');
    expect((error as Error).message).not.toContain(bad);
    expect(env.tokenRequests()).toBe(0);
  });

  it('rejects a blank business id and a scope with a quote', async () => {
    const client = env.client();
    await expect(client.getToken({ businessId: '' })).rejects.toBeInstanceOf(InvalidRequestError);
    await expect(client.getToken({ scope: 'ledger:"read"' })).rejects.toBeInstanceOf(InvalidRequestError);
    expect(env.tokenRequests()).toBe(0);
  });

  it('the sandbox itself answers 422 {error, data} for the same inputs, as the seed documents', async () => {
    const expires = await rawToken([['expires_in', '0']]);
    expect(expires.status).toBe(422);
    expect(expires.body).toHaveProperty('error');
    expect(expires.body).toHaveProperty('data');
    const resource = await rawToken([['resource', 'https://a.example.com#frag']]);
    expect(resource.status).toBe(422);
    expect(JSON.stringify(resource.body.data)).toContain('resource');
  });

  it('a 422 that still reaches the client -> ProviderError, not retried', async () => {
    env.sandbox.faults.inject('asset.token', { status: 422 });
    const error = await env.client().getToken().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_PROVIDER', status: 422 });
    expect(env.tokenRequests()).toBe(1);
  });
});

describe('options', () => {
  const creds = { clientId: 'client', clientSecret: 'sk_live_planted_secret_value' };

  it('production refuses plain http URLs, except loopback', () => {
    expect(() => createAssetClient({ ...creds, environment: 'production', baseUrl: 'http://api.getasset.com' })).toThrow(ConfigurationError);
    expect(() => createAssetClient({ ...creds, environment: 'production', baseUrl: 'http://api.getasset.com' })).toThrow(/baseUrl: must use https/);
    expect(createAssetClient({ ...creds, environment: 'production', baseUrl: 'http://127.0.0.1:8080' }).environment).toBe('production');
  });

  it('plain http to an emulator in a container only with allowInsecureHttp, and never credentials or a fragment in the URL', () => {
    expect(() => createAssetClient({ ...creds, environment: 'sandbox', baseUrl: 'http://asset-emulator:4010' })).toThrow(/baseUrl: must use https/);
    expect(createAssetClient({ ...creds, environment: 'sandbox', baseUrl: 'http://asset-emulator:4010', allowInsecureHttp: true }).environment).toBe('sandbox');
    expect(() => createAssetClient({ ...creds, environment: 'sandbox', baseUrl: 'https://u:p@api.example.com' })).toThrow(/must not contain credentials/);
    expect(() => createAssetClient({ ...creds, environment: 'sandbox', baseUrl: 'ftp://api.example.com' })).toThrow(/http\(s\)/);
  });

  it('names every bad field and never echoes a value', () => {
    const error = (() => {
      try {
        createAssetClient({ clientSecret: creds.clientSecret, environment: 'staging', resource: 'nope', expiresIn: 0, scopes: 'x' } as never);
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ConfigurationError);
    for (const field of ['clientId', 'environment', 'resource', 'expiresIn', 'scopes']) expect(error?.message).toContain(field);
    expect(error?.message).not.toContain(creds.clientSecret);
  });

  it('defaults the base URL per environment (seed servers)', () => {
    expect(JSON.parse(JSON.stringify(createAssetClient({ ...creds, environment: 'sandbox' })))).toMatchObject({ apiUrl: 'https://api.sandbox.getasset.com' });
    expect(JSON.parse(JSON.stringify(createAssetClient({ ...creds, environment: 'production' })))).toMatchObject({ apiUrl: 'https://api.getasset.com' });
  });
});
