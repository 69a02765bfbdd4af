import { createAssetClient } from '@fintoken/asset';
import { FintokenError, InvalidRequestError, UnsupportedError, type Token } from '@fintoken/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LeakScanner } from './support/leaks.js';
import { createMockProvider } from './support/mockProvider.js';
import { MOCK_CREDENTIALS, MOCK_TARGETS, MOCK_URLS, mockCanaries, mockHarness, type MockTarget } from './support/mockTargets.js';
import { outcome } from './support/targets.js';
import { expectNoUnhandledRejections, trackUnhandledRejections } from './support/unhandled.js';

const rejections = trackUnhandledRejections();
const scanner = new LeakScanner().add(...mockCanaries());

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Business ids crafted to escape the path, plus random text. */
const hostileIds = fc.oneof(
  fc.constantFrom(
    '/', '..', '../..', '../../v1/businesses', '%2F', '..%2F..%2F', '%2e%2e', 'a/b', '', ' ', '\t', '\u0000', '%00',
    '?x=1', '#frag', '\\', '\\..\\', '.', '%', '%zz', '😀', 'é', 'ä/ö', '\u202e', 'biz_GA6EG2qFxA97NZHtxeLPUy/../x',
    '0b7f9c4e-2d1a-4e8b-9c3f-5a6b7c8d9e0f/..', '0B7F9C4E-2D1A-4E8B-9C3F-5A6B7C8D9E0F', ' 0b7f9c4e-2d1a-4e8b-9c3f-5a6b7c8d9e0f',
    '0b7f9c4e-2d1a-4e8b-9c3f-5a6b7c8d9e0f\n', '0b7f9c4e%2D2d1a-4e8b-9c3f-5a6b7c8d9e0f',
  ),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.uuid(),
  fc.uuid().map((u) => `${u}/../${u}`),
);

/** What a business-scoped call looks like for each target that takes a business id. */
const businessCall: Record<string, (client: object, businessId: string) => Promise<Token>> = {
  'layer business token': (c, id) => (c as { getBusinessToken(id: string, o?: object): Promise<Token> }).getBusinessToken(id, { forceRefresh: true }),
  'thredfi business token': (c, id) => (c as { getBusinessToken(id: string, o?: object): Promise<Token> }).getBusinessToken(id, { forceRefresh: true }),
  'asset token': (c, id) => (c as { getToken(r: object): Promise<Token> }).getToken({ businessId: id, forceRefresh: true }),
  'layer1 token': (c, id) => (c as { getToken(r: object): Promise<Token> }).getToken({ businessId: id, forceRefresh: true }),
};

/** The exact request a business id must produce: the path segment encoded, or a form field. */
const expectedPath: Record<string, (id: string) => string> = {
  'layer business token': (id) => `/v1/businesses/${encodeURIComponent(id)}/auth-token`,
  'thredfi business token': (id) => `/v1/platform/${encodeURIComponent(id)}/oauth2/token/`,
  'asset token': () => '/v0/auth/token',
};

describe.each(MOCK_TARGETS.filter((t) => t.name in businessCall))('$name business ids', (target: MockTarget) => {
  it('are path-encoded, sent as a form field, or refused before any request; never path-traversing (property)', async () => {
    const mock = mockHarness(target, (r) => ({ status: 200, json: target.validBody(Date.now(), r) }));
    const { client } = target.create(mock.agent, { retry: false });
    const seen = { sent: 0, refused: 0 };
    await fc.assert(
      // Lone surrogates have their own test below (a known bug would mask everything else here).
      fc.asyncProperty(hostileIds.filter((id) => !LONE_SURROGATE.test(id)), async (businessId) => {
        const before = mock.requests.length;
        const result = await outcome(() => businessCall[target.name]!(client, businessId));
        expect(result.sync).toBeUndefined();
        if (result.error !== undefined) {
          scanner.scan('error', result.error);
          const expected = target.name === 'layer1 token' ? UnsupportedError : InvalidRequestError;
          expect(result.error).toBeInstanceOf(expected);
          // Refused before anything was sent.
          expect(mock.requests.length).toBe(before);
          seen.refused += 1;
          return;
        }
        seen.sent += 1;
        expect(target.name).not.toBe('layer1 token');
        expect(result.value!.businessId).toBe(businessId);
        if (target.name !== 'asset token') expect(businessId).toMatch(UUID);
        const request = mock.requests.filter((r) => target.underTest(r)).at(-1)!;
        expect(request.path).toBe(expectedPath[target.name]!(businessId));
        if (target.name === 'asset token') expect(new URLSearchParams(request.body).getAll('business_id')).toEqual([businessId]);
      }),
      { numRuns: 200, seed: 4_242 },
    );
    if (target.name !== 'layer1 token') expect(seen.sent).toBeGreaterThan(0);
    expect(seen.refused).toBeGreaterThan(0);
  });
});

describe('business ids and resources that are not well-formed UTF-16', () => {
  // Regression test for a bug this suite found (fixed in core since): before the fix, a lone surrogate passes Asset's request
  // validation, then core's buildCacheKey calls encodeURIComponent on it, which throws URIError
  // synchronously out of getToken: not a FintokenError, not even a rejected promise.
  it.each([
    ['businessId', { businessId: 'biz_\uD800' }],
    ['resource', { resource: 'https://api.example.com/\uDC00' }],
  ])('asset getToken refuses a lone surrogate in %s with an InvalidRequestError (a rejected promise)', async (_field, request) => {
    const mock = createMockProvider([MOCK_URLS.asset], () => ({ status: 500, json: {} }));
    const client = createAssetClient({ ...MOCK_CREDENTIALS.asset, environment: 'production', baseUrl: MOCK_URLS.asset, dispatcher: mock.agent });
    const result = await outcome(() => client.getToken(request));
    expect(result.sync, 'getToken threw synchronously').toBeUndefined();
    expect(result.error).toBeInstanceOf(InvalidRequestError);
    expect(mock.requests).toHaveLength(0);
  });

  it.each(MOCK_TARGETS.filter((t) => t.name in businessCall && t.name !== 'asset token'))('$name refuses a lone surrogate with a typed error', async (target) => {
    const mock = mockHarness(target, (r) => ({ status: 200, json: target.validBody(Date.now(), r) }));
    const { client } = target.create(mock.agent, { retry: false });
    const result = await outcome(() => businessCall[target.name]!(client, '0b7f9c4e-2d1a-4e8b-9c3f-5a6b7c8d9e0\uD800'));
    expect(result.sync).toBeUndefined();
    expect(result.error).toBeInstanceOf(FintokenError);
    expect(mock.requests).toHaveLength(0);
  });
});

const scopeToken = fc.stringMatching(/^[a-z][a-z0-9:._-]{0,8}$/);
// Every separator here is whitespace to JavaScript's \s, which is what the scope is split on.
const space = fc.constantFrom(' ', '  ', '\t', '\n', '\r\n', ' \t ', '\u00a0', '\u2003');

/** One way of writing a set of scopes: shuffled, duplicated, oddly spaced, as a string or a list. */
const scopeSpelling = (tokens: string[]) =>
  fc
    .tuple(fc.shuffledSubarray(tokens, { minLength: tokens.length }), fc.subarray(tokens), fc.array(space, { minLength: tokens.length * 2 + 2, maxLength: tokens.length * 2 + 2 }), fc.boolean())
    .map(([order, dupes, spaces, asList]) => {
      const all = [...order, ...dupes];
      if (asList) return all.map((t, i) => `${spaces[i] ?? ''}${t}${spaces[i + 1] ?? ''}`);
      return spaces[0] + all.map((t, i) => `${t}${spaces[i + 1] ?? ' '}`).join('');
    });

describe('asset scopes with odd whitespace', () => {
  it('are normalised: every spelling of one set of scopes is one cache key and one request (property)', async () => {
    const mock = createMockProvider([MOCK_URLS.asset], (r) => ({ status: 200, json: MOCK_TARGETS.find((t) => t.name === 'asset token')!.validBody(Date.now(), r) }));
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(scopeToken, { minLength: 1, maxLength: 4 }).chain((tokens) => fc.tuple(fc.constant(tokens), fc.array(scopeSpelling(tokens), { minLength: 2, maxLength: 5 }))),
        async ([tokens, spellings]) => {
          const client = createAssetClient({ ...MOCK_CREDENTIALS.asset, environment: 'production', baseUrl: MOCK_URLS.asset, dispatcher: mock.agent });
          const before = mock.requests.length;
          const results = [];
          for (const scope of spellings) results.push(await outcome(() => client.getToken({ scope })));
          for (const r of results) expect(r.error).toBeUndefined();
          expect(new Set(results.map((r) => r.value!.accessToken)).size).toBe(1);
          expect(mock.requests.length - before).toBe(1);
          expect(new URLSearchParams(mock.requests.at(-1)!.body).get('scope')).toBe([...tokens].sort().join(' '));
        },
      ),
      { numRuns: 100, seed: 99 },
    );
  });

  it.each(MOCK_TARGETS.filter((t) => t.name !== 'asset token'))('$name refuses a per-request scope with a typed error', async (target) => {
    const mock = mockHarness(target, (r) => ({ status: 200, json: target.validBody(Date.now(), r) }));
    const { client } = target.create(mock.agent, { retry: false });
    const result = await outcome(() => (client as { getToken(r: object): Promise<Token> }).getToken({ scope: ' a \t b ' }));
    expect(result.sync).toBeUndefined();
    expect(result.error).toBeInstanceOf(UnsupportedError);
    expect(mock.requests).toHaveLength(0);
  });
});

describe('secret hygiene of everything above', () => {
  it('no error shows a secret', () => {
    scanner.expectClean();
  });
});

expectNoUnhandledRejections(rejections);
