import { ProviderError, REJECTED_TOKEN_HEADER, tokenFingerprint } from '@fintoken/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClock } from '../support/http.js';
import type { RunningServer } from '../support/serve.js';
import { authorizeBusiness, authorizeIdentity, BAD_SECRET, cookie, genericError, layerBusinessStatus, layerMints, type Users } from './shared.js';
import type { ContractAdapter, ContractSuite } from './tokenEndpoint.js';

// The endpoint's first rules: a token for the authorized business only, the answer's shape and
// headers, methods, the body never read, the rejected-token fingerprint, one mint for many tabs,
// and errors that say nothing of the provider or the application.

export function describeCoreRules(adapter: ContractAdapter, suite: ContractSuite): void {
  describe('authorize, the answer, errors', () => {
    const { browser } = suite;
    const clock = createClock();
    const windowClock = createClock();
    const users: Users = new Map();
    let server: RunningServer;
    let concurrent: ReturnType<typeof layerClient>;
    let alice: string;
    let bob: string;
    const url = (path: string) => `${server.url}${path}`;

    const { layerClient } = suite;

    const layerStatus = (accessToken: string, businessId: string) => layerBusinessStatus(suite, accessToken, businessId);
    const mints = () => layerMints(suite);

    beforeAll(async () => {
      [alice, bob] = suite.sb.businesses.layer.active as [string, string];
      users.set('alice', { businessId: alice });
      users.set('bob', { businessId: bob });
      users.set('carol', { businessId: suite.sb.businesses.layer.archived });
      users.set('mallory', { businessId: 'not-a-uuid' });
      const layer = layerClient({ now: clock.now });
      concurrent = layerClient();
      const authorize = authorizeBusiness(users);
      const identify = authorizeIdentity(users);
      server = await adapter.serve({
        '/token': { client: layer, authorize, now: clock.now },
        '/identity-token': { client: layer, authorize: identify },
        '/faulty-token': { client: layerClient({ retry: false, timeoutMs: 500 }), authorize },
        '/bad-credentials-token': { client: layerClient({ clientSecret: BAD_SECRET, retry: false }), authorize },
        '/throwing-token': {
          client: layer,
          authorize: () => {
            throw new Error(`database unreachable with password ${suite.sb.credentials.layer.clientSecret}`);
          },
        },
        '/rejecting-token': { client: layer, authorize: () => Promise.reject(new ProviderError('upstream said 429', { status: 429, retryAfterMs: 9000 })) },
        '/boolean-token': { client: layer, authorize: (() => true) as never },
        // authorize may answer with a value, a Promise, or any thenable (e.g. a query builder's result).
        '/async-token': { client: layer, authorize: async (req) => authorize(req) },
        '/thenable-token': { client: layer, authorize: (req) => ({ then: (resolve: (v: unknown) => void) => resolve(authorize(req)) }) as never },
        '/thenable-throwing-token': { client: layer, authorize: () => ({ then: () => { throw new Error('pool exhausted'); } }) as never },
        '/overriding-token': { client: layer, authorize, request: () => ({ businessId: bob }) as never },
        // An object is authorize saying yes: one that does not name a business (or names the user badly) is a bug.
        '/no-business-identity-token': { client: layer, authorize: () => ({ businessId: undefined }) as never },
        '/numeric-business-identity-token': { client: layer, authorize: () => ({ businessId: 42 }) as never },
        '/empty-subject-token': { client: layer, authorize: () => ({ businessId: alice, subject: '' }) },
        '/numeric-subject-token': { client: layer, authorize: () => ({ businessId: alice, subject: 7 }) as never },
        '/concurrent-token': { client: concurrent, authorize: () => alice },
        '/window-token': { client: layerClient({ now: windowClock.now }), authorize, now: windowClock.now },
      });
    });
    afterAll(() => server.close());

    it('gives a signed-in user a no-store JSON token that Layer accepts for their business only', async () => {
      const res = await browser.send(url('/token'), { headers: cookie('alice') });
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: expect.any(Number), business_id: alice });
      expect(res.json.expires_in).toBeGreaterThan(3500);
      expect(res.json.expires_in).toBeLessThanOrEqual(3600);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers.pragma).toBe('no-cache');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.text));
      expect(res.headers.etag).toBeUndefined();
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      expect(await layerStatus(res.json.access_token, alice)).toBe(200);
      expect([401, 403]).toContain(await layerStatus(res.json.access_token, bob));
    });

    it('answers GET as well as POST, each user with their own business', async () => {
      const res = await browser.send(url('/token'), { method: 'GET', headers: cookie('bob') });
      expect(res.status).toBe(200);
      expect(res.json.business_id).toBe(bob);
      expect(await layerStatus(res.json.access_token, bob)).toBe(200);
      expect([401, 403]).toContain(await layerStatus(res.json.access_token, alice));
    });

    it('takes { businessId, subject } from authorize as well as a bare business id', async () => {
      const res = await browser.send(url('/identity-token'), { headers: cookie('bob') });
      expect(res.status).toBe(200);
      expect(res.json.business_id).toBe(bob);
      expect(await layerStatus(res.json.access_token, bob)).toBe(200);
      const eve = await browser.send(url('/identity-token'), { headers: cookie('eve') });
      expect(eve.status).toBe(403);
    });

    it.each([
      ['malformed JSON', '{"business_id": "'],
      ['a body naming another business', JSON.stringify({ business_id: 'other', businessId: 'other' })],
      ['a 2 MB body', 'x'.repeat(2 * 1024 * 1024)],
    ])('never reads the body: %s changes nothing', async (_what, body) => {
      const res = await browser.send(url('/token'), { headers: { ...cookie('alice'), 'content-type': 'application/json' }, body });
      expect(res.status).toBe(200);
      expect(res.json.business_id).toBe(alice);
    });

    it('reports the remaining lifetime of a cached token in expires_in', async () => {
      const first = await browser.send(url('/token'), { headers: cookie('alice') });
      const minted = mints();
      clock.advance(600_000);
      const second = await browser.send(url('/token'), { headers: cookie('alice') });
      expect(second.json.access_token).toBe(first.json.access_token);
      expect(first.json.expires_in - second.json.expires_in).toBe(600);
      expect(mints()).toBe(minted);
    });

    it('replaces a token the browser reports as rejected, once, and ignores stale or made-up reports', async () => {
      const first = await browser.send(url('/token'), { headers: cookie('bob') });
      const rejected = await tokenFingerprint(first.json.access_token);
      const minted = mints();
      const reports = await Promise.all(
        [1, 2, 3].map(() => browser.send(url('/token'), { headers: { ...cookie('bob'), [REJECTED_TOKEN_HEADER]: rejected } })),
      );
      const replacement = reports[0]!.json.access_token;
      expect(replacement).not.toBe(first.json.access_token);
      expect(reports.every((r) => r.json.access_token === replacement)).toBe(true);
      expect(mints()).toBe(minted + 1);
      const late = await browser.send(url('/token'), { headers: { ...cookie('bob'), [REJECTED_TOKEN_HEADER]: rejected } });
      expect(late.json.access_token).toBe(replacement);
      await browser.send(url('/token'), { headers: { ...cookie('bob'), [REJECTED_TOKEN_HEADER]: 'AAAAAAAAAAAAAAAAAAAAAA' } });
      expect(mints()).toBe(minted + 1);
    });

    it('hands a browser asking inside the refresh-ahead window the replacement, not the token being replaced', async () => {
      const first = await browser.send(url('/window-token'), { headers: cookie('alice') });
      const minted = mints();
      // The server refreshes in the last max(60 s, 10 %) of a token's life; a browser's own lead is
      // shorter, so it comes back in there. Given the old token it would come back again at once.
      windowClock.advance((first.json.expires_in - 30) * 1000);
      const second = await browser.send(url('/window-token'), { headers: cookie('alice') });
      expect(second.json.access_token).not.toBe(first.json.access_token);
      expect(second.json.expires_in).toBeGreaterThan(first.json.expires_in - 60);
      expect(mints()).toBe(minted + 1);
      const third = await browser.send(url('/window-token'), { headers: cookie('alice') });
      expect(third.json.access_token).toBe(second.json.access_token);
      expect(mints()).toBe(minted + 1);
    });

    it.each(['/async-token', '/thenable-token'])('waits for an authorize that answers later (%s)', async (path) => {
      const alice = await browser.send(url(path), { headers: cookie('alice') });
      expect(alice.status).toBe(200);
      expect((await browser.send(url('/token'), { headers: cookie('alice') })).json.access_token).toBe(alice.json.access_token);
      const eve = await browser.send(url(path), { headers: cookie('eve') });
      expect(eve.status).toBe(403);
      expect(eve.json).toEqual(genericError('forbidden'));
    });

    it('refuses a user authorize does not allow with 403, without minting', async () => {
      const before = mints();
      for (const headers of [{}, cookie('eve')]) {
        const res = await browser.send(url('/token'), { headers });
        expect(res.status).toBe(403);
        expect(res.json).toEqual(genericError('forbidden'));
        expect(res.headers['cache-control']).toBe('no-store');
      }
      expect(mints()).toBe(before);
    });

    it.each([
      ['throws', '/throwing-token'],
      ['rejects with a FintokenError', '/rejecting-token'],
      ['returns a truthy non-string', '/boolean-token'],
      ['returns a thenable that throws', '/thenable-throwing-token'],
      ['returns an object without a business id', '/no-business-identity-token'],
      ['returns an object whose business id is not a string', '/numeric-business-identity-token'],
      ['names an empty subject (it would put users in one bucket)', '/empty-subject-token'],
      ['names a subject that is not a string', '/numeric-subject-token'],
    ])('answers 500 without details when authorize %s', async (_what, path) => {
      const before = mints();
      const res = await browser.send(url(path), { headers: cookie('alice') });
      expect(res.status).toBe(500);
      expect(res.json).toEqual(genericError('internal_error'));
      expect(res.headers['retry-after']).toBeUndefined();
      expect(res.text).not.toMatch(/database|upstream|429|pool/);
      expect(mints()).toBe(before);
    });

    it('never lets request() replace the authorized business', async () => {
      const res = await browser.send(url('/overriding-token'), { headers: cookie('alice') });
      expect(res.json.business_id).toBe(alice);
      expect(await layerStatus(res.json.access_token, alice)).toBe(200);
    });

    it.each(['PUT', 'DELETE', 'PATCH', 'OPTIONS'])('answers %s with 405 and Allow: GET, POST, without minting', async (method) => {
      const before = mints();
      const res = await browser.send(url('/token'), { method, headers: cookie('alice') });
      expect(res.status).toBe(405);
      expect(res.headers.allow).toBe('GET, POST');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.json).toEqual(genericError('method_not_allowed'));
      expect(mints()).toBe(before);
    });

    it('makes one upstream mint for 10 concurrent browser requests for one business', async () => {
      await concurrent.getToken(); // the client token is not what this test counts
      suite.sb.faults.inject('layer.businessToken', { latencyMs: 200 });
      const before = mints();
      const responses = await Promise.all(Array.from({ length: 10 }, () => browser.send(url('/concurrent-token'))));
      expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
      expect(new Set(responses.map((r) => r.json.access_token)).size).toBe(1);
      expect(mints() - before).toBe(1);
    });

    describe('provider failures', () => {
      it.each([
        { what: 'a 429 with Retry-After: 7', fault: { status: 429, retryAfter: 7 }, status: 503, retryAfter: '7' },
        { what: 'a 503', fault: { status: 503 }, status: 503, retryAfter: '2' },
        { what: 'a 429 without Retry-After', fault: { status: 429 }, status: 503, retryAfter: '5' },
        { what: 'a hung connection (timeout)', fault: { hang: true }, status: 503, retryAfter: '2' },
        { what: 'a dropped connection', fault: { drop: true }, status: 503, retryAfter: '2' },
        { what: 'a 500', fault: { status: 500 }, status: 502, retryAfter: undefined },
        { what: 'an HTML body', fault: { body: 'html' }, status: 502, retryAfter: undefined },
        { what: 'a body without access_token', fault: { body: 'missing-access-token' }, status: 502, retryAfter: undefined },
      ] as const)('maps $what to $status', async ({ fault, status, retryAfter }) => {
        suite.sb.faults.inject('layer.businessToken', fault);
        const res = await browser.send(url('/faulty-token'), { headers: cookie('alice') });
        expect(res.status).toBe(status);
        expect(res.headers['retry-after']).toBe(retryAfter);
        expect(res.headers['cache-control']).toBe('no-store');
        expect(res.json).toEqual(genericError(status === 503 ? 'provider_unavailable' : 'bad_gateway'));
      });

      it("maps an archived business (Layer 404 ResourceArchived) to 502 without Layer's description", async () => {
        const res = await browser.send(url('/faulty-token'), { headers: cookie('carol') });
        expect(res.status).toBe(502);
        expect(res.json).toEqual(genericError('bad_gateway'));
        expect(res.text).not.toMatch(/archived|ResourceArchived|d3cc|404/i);
        expect(res.text).not.toContain(suite.sb.businesses.layer.archived);
      });

      it('maps rejected client credentials to 502', async () => {
        const res = await browser.send(url('/bad-credentials-token'), { headers: cookie('alice') });
        expect(res.status).toBe(502);
        expect(res.json).toEqual(genericError('bad_gateway'));
        expect(res.text).not.toContain(BAD_SECRET);
      });

      it("answers 500 (a server bug, not the browser's) when authorize returns a malformed business id", async () => {
        const before = mints();
        const res = await browser.send(url('/faulty-token'), { headers: cookie('mallory') });
        expect(res.status).toBe(500);
        expect(res.json).toEqual(genericError('internal_error'));
        expect(res.text).not.toContain('not-a-uuid');
        expect(mints()).toBe(before);
      });
    });
  });
}
