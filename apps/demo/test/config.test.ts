import { describe, expect, it } from 'vitest';
import { DemoConfigError, readConfig } from '../src/config.js';

describe('readConfig', () => {
  it('defaults to port 3000 on loopback with every provider on the sandbox', () => {
    const config = readConfig({});
    expect(config).toMatchObject({ port: 3000, host: '127.0.0.1', live: {}, businesses: {} });
    expect(config.sessionSecret).toBeUndefined();
  });

  it('passes SANDBOX_SEED and DEMO_SESSION_SECRET through', () => {
    expect(readConfig({ SANDBOX_SEED: 'demo', DEMO_SESSION_SECRET: 's3cret' })).toMatchObject({ sandboxSeed: 'demo', sessionSecret: 's3cret' });
  });

  it('reads PORT, accepts 0, and refuses anything else', () => {
    expect(readConfig({ PORT: '8080' }).port).toBe(8080);
    expect(readConfig({ PORT: '0' }).port).toBe(0);
    expect(() => readConfig({ PORT: 'eighty' })).toThrow(/PORT must be an integer/);
    expect(() => readConfig({ PORT: '70000' })).toThrow(DemoConfigError);
    expect(readConfig({ PORT: '8080' }, { port: 0 }).port).toBe(0);
  });

  it('takes a provider live only with both halves of its credentials, naming the missing one', () => {
    const secret = 'layer-secret-value-1234';
    const error = (() => {
      try {
        readConfig({ LAYER_CLIENT_SECRET: secret });
      } catch (e) {
        return e as Error;
      }
      throw new Error('expected a DemoConfigError');
    })();
    expect(error).toBeInstanceOf(DemoConfigError);
    expect(error.message).toContain('LAYER_CLIENT_ID is missing');
    expect(error.message).not.toContain(secret);

    const config = readConfig({ LAYER_CLIENT_ID: 'id', LAYER_CLIENT_SECRET: secret, LAYER_ENVIRONMENT: 'production' });
    expect(config.live.layer).toEqual({ clientId: 'id', clientSecret: secret, environment: 'production', authUrl: undefined, apiUrl: undefined });
    expect(config.live.thredfi).toBeUndefined();
  });

  it('reads every provider and its URL overrides', () => {
    const config = readConfig({
      THREDFI_PARTNER_ID: 'p',
      THREDFI_API_KEY: 'k',
      THREDFI_BASE_URL: 'https://thredfi.example',
      ASSET_CLIENT_ID: 'a',
      ASSET_CLIENT_SECRET: 's',
      ASSET_BASE_URL: 'https://asset.example',
      LAYER1_CLIENT_ID: 'c',
      LAYER1_CLIENT_SECRET: 'x',
      LAYER1_TOKEN_URL: 'https://kc.example/realms/r/protocol/openid-connect/token',
      LAYER1_API_URL: 'https://layer1.example',
    });
    expect(config.live.thredfi).toMatchObject({ partnerId: 'p', environment: 'sandbox', baseUrl: 'https://thredfi.example' });
    expect(config.live.asset).toMatchObject({ clientId: 'a', baseUrl: 'https://asset.example' });
    expect(config.live.layer1).toMatchObject({ clientId: 'c', apiUrl: 'https://layer1.example' });
  });

  it('needs LAYER1_TOKEN_URL with Layer1 credentials, and absolute URLs everywhere', () => {
    expect(() => readConfig({ LAYER1_CLIENT_ID: 'c', LAYER1_CLIENT_SECRET: 'x' })).toThrow(/LAYER1_TOKEN_URL is missing/);
    expect(() => readConfig({ SANDBOX_URL: 'localhost:4010' })).toThrow(/SANDBOX_URL must be an absolute http\(s\) URL/);
    expect(() => readConfig({ ASSET_CLIENT_ID: 'a', ASSET_CLIENT_SECRET: 's', ASSET_ENVIRONMENT: 'staging' })).toThrow(/ASSET_ENVIRONMENT/);
  });

  it('reads DEMO_BUSINESSES_<USER> as provider=id lists, the first being the default', () => {
    const config = readConfig({ DEMO_BUSINESSES_CAROL: 'layer=l-1, layer=l-2,asset=biz_1', DEMO_BUSINESSES_ALICE: '' });
    expect(config.businesses).toEqual({ carol: { layer: ['l-1', 'l-2'], asset: ['biz_1'] } });
    expect(() => readConfig({ DEMO_BUSINESSES_DAN: 'stripe=x' })).toThrow(/DEMO_BUSINESSES_DAN: each entry must be provider=businessId/);
    expect(() => readConfig({ DEMO_BUSINESSES_DAN: 'layer' })).toThrow(DemoConfigError);
  });
});
