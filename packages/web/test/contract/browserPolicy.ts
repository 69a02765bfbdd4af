import { ConfigurationError, createToken, type TokenClient } from '@fintoken/core';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../support/serve.js';
import { cookie, grantedSeconds } from './shared.js';
import type { ContractAdapter, ContractOptions, ContractSuite } from './tokenEndpoint.js';

// Which tokens an endpoint may hand a browser, decided at construction from the client's
// `businessTokens` policy, and the one lifetime option, mapped to each provider's own field
// (Layer `session_duration`, Asset `expires_in`) or refused. Real clients, real sandbox.

const SECRET = 'sk_live_must-never-be-printed';
const ownClient: TokenClient = { provider: 'own', getToken: async () => createToken({ accessToken: 'x', tokenType: 'Bearer', expiresAt: Date.now() + 60_000 }) };
const allow = () => 'biz';

export function describeBrowserPolicy(adapter: ContractAdapter, suite: ContractSuite): void {
  describe('tokens for browsers, and their lifetime', () => {
    const { browser } = suite;
    let server: RunningServer;
    const url = (path: string) => `${server.url}${path}`;
    const layerBusiness = () => suite.sb.businesses.layer.active[1] as string;

    /** The ConfigurationError building these options throws (fails the test if none). */
    function refusal(options: Partial<ContractOptions>): ConfigurationError {
      try {
        adapter.create({ authorize: allow, ...options } as ContractOptions);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigurationError);
        const message = (error as Error).message;
        expect(message.startsWith(`${adapter.factory}: `)).toBe(true);
        expect(message).not.toContain(SECRET);
        expect(JSON.stringify(error)).not.toContain(SECRET);
        return error as ConfigurationError;
      }
      throw new Error('expected a ConfigurationError');
    }

    beforeAll(async () => {
      server = await adapter.serve({
        '/layer-token': { client: suite.layerClient(), authorize: layerBusiness, lifetimeSeconds: 600 },
        '/layer-alias-token': { client: suite.layerClient(), authorize: layerBusiness, sessionDuration: 700 },
        '/asset-token': { client: suite.assetClient(), authorize: () => suite.sb.businesses.asset.allowed[0] as string, lifetimeSeconds: 900 },
        '/asset-default-token': { client: suite.assetClient(), authorize: () => suite.sb.businesses.asset.allowed[1] as string },
        '/thredfi-token': { client: suite.thredfiClient(), authorize: () => suite.sb.businesses.thredfi.owned[0] as string, allowServerOnlyTokens: true },
      });
    });
    afterAll(() => server.close());

    it("refuses a Thredfi client, quoting Thredfi's reason and naming the opt-in", () => {
      const error = refusal({ client: suite.thredfiClient() });
      expect(error.message).toContain('never expose them in client-side code');
      expect(error.message).toContain('allowServerOnlyTokens: true');
    });

    it('serves Thredfi business tokens with allowServerOnlyTokens: true, and they work for that business', async () => {
      const res = await browser.send(url('/thredfi-token'), { headers: cookie('tina') });
      expect(res.status).toBe(200);
      const business = suite.sb.businesses.thredfi.owned[0] as string;
      expect(res.json.business_id).toBe(business);
      const api = await request(`${suite.sb.urls.thredfi.baseUrl}/v1/platform/businesses/${business}/customers/`, { headers: { authorization: `Bearer ${res.json.access_token}` } });
      await api.body.dump();
      expect(api.statusCode).toBe(200);
    });

    it.each([
      ['without the opt-in', {}],
      ['with allowServerOnlyTokens: true', { allowServerOnlyTokens: true }],
    ])('refuses a Layer1 client (no business-scoped tokens) %s', (_what, extra) => {
      expect(refusal({ client: suite.layer1Client(), ...extra }).message).toMatch(/layer1 client has no business-scoped tokens/);
    });

    it('accepts Layer and Asset clients, and a client of your own that declares no policy', () => {
      for (const client of [suite.layerClient(), suite.assetClient(), ownClient]) expect(() => adapter.create({ client, authorize: allow })).not.toThrow();
    });

    it('sends lifetimeSeconds to Layer as session_duration', async () => {
      const res = await browser.send(url('/layer-token'));
      expect(res.status).toBe(200);
      expect(grantedSeconds(res.json.access_token)).toBe(600);
      expect(res.json.expires_in).toBeLessThanOrEqual(600);
      expect(res.json.expires_in).toBeGreaterThan(500);
    });

    it('still takes the deprecated sessionDuration, as lifetimeSeconds', async () => {
      const res = await browser.send(url('/layer-alias-token'));
      expect(grantedSeconds(res.json.access_token)).toBe(700);
    });

    it('sends lifetimeSeconds to Asset as expires_in: a 900 s token, not the default hour', async () => {
      const res = await browser.send(url('/asset-token'));
      expect(res.status).toBe(200);
      expect(grantedSeconds(res.json.access_token)).toBe(900);
      expect(res.json.expires_in).toBeLessThanOrEqual(900);
      expect(res.json.expires_in).toBeGreaterThan(800);
      const byDefault = await browser.send(url('/asset-default-token'));
      expect(byDefault.json.expires_in).toBeGreaterThan(3000);
    });

    it.each([
      ['Thredfi (opted in), which takes no lifetime', () => ({ client: suite.thredfiClient(), allowServerOnlyTokens: true, lifetimeSeconds: 900 }), /lifetimeSeconds: the thredfi provider takes no token lifetime/],
      ['a client of your own without a policy', () => ({ client: ownClient, lifetimeSeconds: 900 }), /lifetimeSeconds: this client declares no businessTokens policy/],
      ['a client of your own, through the deprecated sessionDuration', () => ({ client: ownClient, sessionDuration: 900 }), /sessionDuration: this client declares no businessTokens policy/],
      ['both lifetimeSeconds and sessionDuration', () => ({ client: suite.layerClient(), lifetimeSeconds: 900, sessionDuration: 900 }), /give only lifetimeSeconds/],
      ['a fractional lifetimeSeconds', () => ({ client: suite.layerClient(), lifetimeSeconds: 1.5 }), /lifetimeSeconds: must be a positive integer/],
      ['a lifetimeSeconds of 0', () => ({ client: suite.layerClient(), lifetimeSeconds: 0 }), /lifetimeSeconds: must be a positive integer/],
      ['a client whose policy is malformed', () => ({ client: { ...ownClient, businessTokens: { browser: 'yes' } } as never }), /businessTokens must be false or/],
      ['allowServerOnlyTokens that is not a boolean', () => ({ client: suite.layerClient(), allowServerOnlyTokens: 'true' as never }), /allowServerOnlyTokens: must be a boolean/],
    ])('refuses lifetime and policy mistakes at construction: %s', (_what, options, message) => {
      expect(refusal(options()).message).toMatch(message);
    });

    it.each([
      ['a path', 'https://app.example.com/app'],
      ['a query', `https://app.example.com?key=${SECRET}`],
      ['credentials', `https://user:${SECRET}@app.example.com`],
      ['a wildcard', '*'],
      ['a bare host', 'app.example.com'],
      ['another scheme', 'ftp://app.example.com'],
      ['"null"', 'null'],
      ['spaces', ' https://app.example.com'],
      ['a number', 443],
    ])('refuses an allowedOrigins entry with %s, naming its index and not its value', (_what, entry) => {
      const message = refusal({ client: suite.layerClient(), allowedOrigins: ['https://ok.example', entry] as never }).message;
      expect(message).toMatch(/allowedOrigins: entry 1 must be an absolute http\(s\) origin/);
      if (typeof entry === 'string' && entry.length > 3) expect(message).not.toContain(entry.trim());
    });

    it('refuses an allowedOrigins that is not an array, and takes origins with a trailing slash or default port', () => {
      expect(refusal({ client: suite.layerClient(), allowedOrigins: 'https://app.example.com' as never }).message).toMatch(/allowedOrigins: must be an array/);
      expect(() => adapter.create({ client: suite.layerClient(), authorize: allow, allowedOrigins: ['https://App.Example.com/', 'https://x.example:443', 'http://localhost:3000'] })).not.toThrow();
    });
  });
}
