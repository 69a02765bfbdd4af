import { REJECTED_TOKEN_HEADER, tokenFingerprint } from '@fintoken/core';
import { startSandbox, type Sandbox } from '@fintoken/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** A running server that serves the contract's routes. */
export interface ServerUnderTest {
  url: string;
  close(): Promise<void>;
}

/** Starts the runtime's server with the app's settings (the sandbox's URLs and credentials). */
export type StartServer = (env: Record<string, string>) => Promise<ServerUnderTest>;

export interface ContractPaths {
  /** The business-token route (`businessTokenRoute`). */
  token: string;
  /** A route that calls the provider with the client token (`withToken`). */
  whoami: string;
}

const defaultPaths: ContractPaths = { token: '/api/layer-token', whoami: '/api/whoami' };

const CONCURRENT_REQUESTS = 50;

/** The claims of a JWT, read without verifying (the sandbox verifies when the token is used). */
function claims(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/**
 * The one contract every runtime must meet, written once: the runtime's server (started by
 * `start`) runs `@fintoken/layer` and `@fintoken/web` against a real sandbox on loopback.
 */
export function describeContract(runtime: string, start: StartServer, paths: ContractPaths = defaultPaths): void {
  describe(`${runtime}: @fintoken/layer + @fintoken/web against the sandbox`, () => {
    let sandbox: Sandbox;
    let server: ServerUnderTest;
    const tokenRoute = (init: { business?: string; rejected?: string; method?: string } = {}) =>
      fetch(new URL(paths.token, server.url), {
        method: init.method ?? 'POST',
        headers: {
          ...(init.business === undefined ? {} : { 'x-demo-business': init.business }),
          ...(init.rejected === undefined ? {} : { [REJECTED_TOKEN_HEADER]: init.rejected }),
        },
      });

    beforeAll(async () => {
      sandbox = await startSandbox();
      const { clientId, clientSecret } = sandbox.credentials.layer;
      server = await start({
        LAYER_CLIENT_ID: clientId,
        LAYER_CLIENT_SECRET: clientSecret,
        LAYER_AUTH_URL: sandbox.urls.layer.authUrl,
        LAYER_API_URL: sandbox.urls.layer.apiUrl,
      });
    });

    afterAll(async () => {
      await server?.close();
      await sandbox?.close();
    });

    it('calls the provider API with the client token (withToken)', async () => {
      const res = await fetch(new URL(paths.whoami, server.url));
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({
        data: { type: 'whoami', clientName: sandbox.credentials.layer.clientName, clientId: sandbox.credentials.layer.clientId },
      });
    });

    it('refreshes the client token and retries once when the provider answers 401 (withToken)', async () => {
      const tokensBefore = sandbox.stats.count('layer.token');
      const callsBefore = sandbox.stats.count('layer.whoami');
      sandbox.faults.inject('layer.whoami', { status: 401 });
      const res = await fetch(new URL(paths.whoami, server.url));
      expect(res.status).toBe(200);
      expect(sandbox.stats.count('layer.token')).toBe(tokensBefore + 1);
      expect(sandbox.stats.count('layer.whoami')).toBe(callsBefore + 2);
    });

    it('hands the authorized business a business token, no-store, that the provider accepts', async () => {
      const businessId = sandbox.businesses.layer.active[0]!;
      const res = await tokenRoute({ business: businessId });
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const body = (await res.json()) as Record<string, unknown>;
      expect(Object.keys(body).sort()).toEqual(['access_token', 'business_id', 'expires_in', 'token_type']);
      expect(body).toMatchObject({ token_type: 'Bearer', business_id: businessId });
      expect(body.expires_in).toBeGreaterThan(0);
      expect(body.expires_in).toBeLessThanOrEqual(3600);
      expect(claims(body.access_token as string).business_id).toBe(businessId);
      const use = await fetch(`${sandbox.urls.layer.apiUrl}/v1/businesses/${businessId}`, {
        headers: { authorization: `Bearer ${body.access_token as string}` },
      });
      expect(use.status).toBe(200);
    });

    it('refuses a request authorize does not allow with 403 and no token', async () => {
      const before = sandbox.stats.count('layer.businessToken');
      const res = await tokenRoute();
      expect(res.status).toBe(403);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const body = await res.json();
      expect(body).toEqual({ error: { code: 'forbidden', message: expect.any(String) } });
      expect(sandbox.stats.count('layer.businessToken')).toBe(before);
    });

    it('replaces a token the browser reports rejected (a 401) with one token request', async () => {
      const businessId = sandbox.businesses.layer.active[0]!;
      const first = (await (await tokenRoute({ business: businessId })).json()) as { access_token: string };
      const before = sandbox.stats.count('layer.businessToken');
      const rejected = await tokenFingerprint(first.access_token);
      const res = await tokenRoute({ business: businessId, rejected });
      expect(res.status).toBe(200);
      const second = (await res.json()) as { access_token: string };
      expect(second.access_token).not.toBe(first.access_token);
      expect(sandbox.stats.count('layer.businessToken')).toBe(before + 1);
      // The old fingerprint no longer matches the cached token: no further refresh.
      const again = (await (await tokenRoute({ business: businessId, rejected })).json()) as { access_token: string };
      expect(again.access_token).toBe(second.access_token);
      expect(sandbox.stats.count('layer.businessToken')).toBe(before + 1);
    });

    it(`makes one token request for ${CONCURRENT_REQUESTS} concurrent requests`, async () => {
      const businessId = sandbox.businesses.layer.active[1]!;
      const clientTokensBefore = sandbox.stats.count('layer.token');
      const before = sandbox.stats.count('layer.businessToken');
      const responses = await Promise.all(Array.from({ length: CONCURRENT_REQUESTS }, () => tokenRoute({ business: businessId })));
      const bodies = (await Promise.all(responses.map((res) => res.json()))) as { access_token: string }[];
      expect(responses.map((res) => res.status)).toEqual(Array(CONCURRENT_REQUESTS).fill(200));
      expect(new Set(bodies.map((body) => body.access_token)).size).toBe(1);
      expect(sandbox.stats.count('layer.businessToken')).toBe(before + 1);
      // The client token from the first tests is still cached: none fetched again.
      expect(sandbox.stats.count('layer.token')).toBe(clientTokensBefore);
    });

    it("answers a provider error with a generic JSON error, nothing of the provider's text or secrets", async () => {
      const res = await tokenRoute({ business: sandbox.businesses.layer.archived });
      const text = await res.text();
      expect(res.status).toBe(502);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(JSON.parse(text)).toEqual({ error: { code: 'bad_gateway', message: expect.any(String) } });
      expect(text).not.toMatch(/archived|ResourceArchived|layer/i);
      expect(text).not.toContain(sandbox.credentials.layer.clientSecret);
      expect(text).not.toContain(sandbox.businesses.layer.archived);
    });

    // Where the framework routes by method (Next.js answers methods a route does not export),
    // the 405 is the framework's; either way no token leaves.
    it('refuses methods other than GET and POST with 405 and no token', async () => {
      const res = await tokenRoute({ business: sandbox.businesses.layer.active[0]!, method: 'PUT' });
      expect(res.status).toBe(405);
      expect(await res.text()).not.toContain('access_token');
    });
  });
}
