import { FintokenError, ResponseValidationError, type FintokenEvent, type Token } from '@fintoken/core';
import fc from 'fast-check';
import { startSandbox, type Sandbox } from '@fintoken/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answers } from './support/arbitraries.js';
import { LeakScanner } from './support/leaks.js';
import type { MockReply } from './support/mockProvider.js';
import { fakeJwt } from './support/mockProvider.js';
import { MOCK_TARGETS, mockCanaries, mockHarness, type MockTarget } from './support/mockTargets.js';
import { outcome, sandboxCanaries, TARGETS, type Outcome } from './support/targets.js';
import { expectNoUnhandledRejections, trackUnhandledRejections } from './support/unhandled.js';

const rejections = trackUnhandledRejections();
const scanner = new LeakScanner().add(...mockCanaries());

const DAYS_31 = 31 * 24 * 3600 * 1000;
const CODES = ['ERR_PROVIDER', 'ERR_AUTHENTICATION', 'ERR_RESPONSE_VALIDATION', 'ERR_TIMEOUT', 'ERR_NETWORK'];

/** A client of `target` whose token endpoint answers whatever `reply` is set to, on an injected clock. */
function harness(target: MockTarget, extra: { maxBodyBytes?: number } = {}) {
  let reply: (now: number, request: Parameters<MockTarget['validBody']>[1]) => MockReply = (now, r) => ({ status: 200, json: target.validBody(now, r) });
  const state = { now: Date.now() };
  const events: FintokenEvent[] = [];
  const mock = mockHarness(target, (request) => reply(state.now, request));
  const client = target.create(mock.agent, { retry: false, timeoutMs: 5_000, now: () => state.now, onEvent: (e) => events.push(e), ...extra });
  return {
    state,
    events,
    mock,
    client,
    answer(next: typeof reply) {
      reply = next;
    },
    /** One call that reaches the provider, settled. */
    call: () => outcome(() => client.get({ forceRefresh: true })),
    underTestRequests: () => mock.requests.filter((r) => target.underTest(r)).length,
  };
}

/** A token, or a typed error: never a crash, never a TypeError, never a synchronous throw. */
function expectTokenOrTypedError(result: Outcome<Token>, now: number): result is Outcome<Token> & { value: Token } {
  expect(result.sync).toBeUndefined();
  if (result.error !== undefined) {
    expect(result.error).toBeInstanceOf(FintokenError);
    expect(CODES).toContain((result.error as FintokenError).code);
    scanner.scan('error', result.error);
    return false;
  }
  const token = result.value!;
  scanner.scan('token', token);
  expect(typeof token.accessToken).toBe('string');
  expect(token.accessToken.length).toBeGreaterThan(0);
  expect(typeof token.tokenType).toBe('string');
  expect(token.tokenType.length).toBeGreaterThan(0);
  expect(Number.isFinite(token.expiresAt)).toBe(true);
  // Never expired on arrival, never longer than 31 days.
  expect(token.expiresAt).toBeGreaterThan(now);
  expect(token.expiresAt).toBeLessThanOrEqual(now + DAYS_31);
  return true;
}

describe.each(MOCK_TARGETS)('$name response parser', (target) => {
  it('turns any answer into a valid token or a typed error (property)', async () => {
    const h = harness(target);
    await h.client.warm();
    let sent: MockReply | undefined;
    const seen = { tokens: 0, errors: 0 };
    await fc.assert(
      fc.asyncProperty(answers, async (answer) => {
        h.state.now = Date.now();
        h.answer((now, request) => (sent = answer.build(now, request, target)));
        const result = await h.call();
        if (!expectTokenOrTypedError(result, h.state.now)) {
          seen.errors += 1;
          return;
        }
        seen.tokens += 1;
        const token = result.value;
        const body = (sent?.raw === undefined ? sent?.json : JSON.parse(sent.raw)) as Record<string, unknown> | undefined;
        if (typeof body?.access_token === 'string') expect(token.accessToken).toBe(body.access_token);
        if (target.name === 'thredfi business token') expect(String(body?.business_id).toLowerCase()).toBe(h.client.businessId);
        if (h.client.businessId !== undefined) expect(token.businessId).toBe(h.client.businessId);
        // Never longer than the provider granted.
        const expiresIn = body?.expires_in;
        if (typeof expiresIn === 'number' && !target.absoluteExpiry) expect(token.expiresAt).toBeLessThanOrEqual(h.state.now + expiresIn * 1000 + 1);
        if (typeof expiresIn === 'number' && target.absoluteExpiry && expiresIn >= 1e9) {
          // An absolute expiry counts from the provider's own clock (its Date header) when it sent one.
          const date = Date.parse(sent?.headers?.date ?? '');
          const serverNow = Number.isNaN(date) ? h.state.now : date;
          expect(token.expiresAt).toBeLessThanOrEqual(h.state.now + expiresIn * 1000 - serverNow + 1);
        }
      }),
      { numRuns: 200, seed: 20_261_125 },
    );
    for (const event of h.events) scanner.scan(`${event.type} event`, event);
    expect(h.underTestRequests()).toBeGreaterThanOrEqual(200);
    // The runs reached both sides: tokens accepted and answers refused.
    expect(seen.tokens).toBeGreaterThan(10);
    expect(seen.errors).toBeGreaterThan(10);
  });

  it.each([
    ['expires_in 0', () => ({ expires_in: 0 })],
    ['expires_in -1', () => ({ expires_in: -1 })],
    ['expires_in -3600', () => ({ expires_in: -3600 })],
    ['an absolute expiry in the past', (now: number) => ({ expires_in: target.absoluteExpiry ? Math.floor(now / 1000) - 60 : -60 })],
  ])('refuses a token that is expired on arrival (%s), and caches nothing', async (_label, fields) => {
    const h = harness(target);
    h.answer((now, r) => ({ status: 200, json: { ...target.validBody(now, r), ...fields(now) } }));
    const failed = await h.call();
    expect(failed.error).toBeInstanceOf(ResponseValidationError);
    h.answer((now, r) => ({ status: 200, json: target.validBody(now, r) }));
    const before = h.underTestRequests();
    expect(expectTokenOrTypedError(await outcome(() => h.client.get()), h.state.now)).toBe(true);
    expect(h.underTestRequests()).toBe(before + 1);
  });

  it("refuses a JWT whose exp has passed on the provider's clock (Date header)", async () => {
    const h = harness(target);
    h.answer((now, r) => ({
      status: 200,
      json: { ...target.validBody(now, r), access_token: fakeJwt({ exp: Math.floor(now / 1000) - 5 }) },
      headers: { date: new Date(now).toUTCString() },
    }));
    expect((await h.call()).error).toBeInstanceOf(ResponseValidationError);
  });

  it.each([
    ['an HTML error page', { status: 200, raw: '<!DOCTYPE html><html><body>Bad Gateway</body></html>', headers: { 'content-type': 'text/html' } }],
    ['an empty body', { status: 200, raw: '' }],
    ['plain text', { status: 200, raw: 'OK', headers: { 'content-type': 'text/plain' } }],
    ['JSON null', { status: 200, json: null }],
    ['a JSON array', { status: 200, json: [{ access_token: 'x' }] }],
    ['a JSON string', { status: 200, json: 'access_token' }],
  ] as Array<[string, MockReply]>)('refuses %s with a ResponseValidationError', async (_label, reply) => {
    const h = harness(target);
    await h.client.warm();
    h.answer(() => reply);
    const result = await h.call();
    expect(result.error).toBeInstanceOf(ResponseValidationError);
    expect((result.error as ResponseValidationError).field).toBe('(body)');
  });

  it('refuses expires_in given as a string, naming the field', async () => {
    const h = harness(target);
    await h.client.warm();
    h.answer((now, r) => ({ status: 200, json: { ...target.validBody(now, r), expires_in: String(target.validBody(now, r).expires_in) } }));
    const result = await h.call();
    expect(result.error).toBeInstanceOf(ResponseValidationError);
    expect((result.error as ResponseValidationError).field).toBe('expires_in');
  });

  it('refuses an enormous body (2 MiB, no Content-Length) at the 1 MiB default cap', async () => {
    const h = harness(target);
    await h.client.warm();
    const huge = JSON.stringify({ access_token: 'x'.repeat(2 * 1024 * 1024), expires_in: 3600, token_type: 'Bearer' });
    h.answer(() => ({ status: 200, raw: huge }));
    const result = await h.call();
    expect(result.error).toBeInstanceOf(ResponseValidationError);
    expect((result.error as ResponseValidationError).field).toBe('(body)');
  });

  it('honours a small maxBodyBytes', async () => {
    const h = harness(target, { maxBodyBytes: 256 });
    await h.client.warm();
    h.answer((now, r) => ({ status: 200, json: { ...target.validBody(now, r), padding: 'p'.repeat(1_000) } }));
    const result = await h.call();
    expect(result.error).toBeInstanceOf(ResponseValidationError);
  });

  it('accepts an access_token that is not a JWT, with the expiry from expires_in', async () => {
    const h = harness(target);
    h.answer((now, r) => ({ status: 200, json: { ...target.validBody(now, r), access_token: 'opaque-token-canary-9d1e2f' } }));
    const result = await h.call();
    expect(expectTokenOrTypedError(result, h.state.now)).toBe(true);
    expect(result.value!.accessToken).toBe('opaque-token-canary-9d1e2f');
    expect(result.value!.expiresAt).toBeGreaterThan(h.state.now + (target.ttlSeconds - 60) * 1000);
  });

  it('caps an absurdly long lifetime at 31 days', async () => {
    const h = harness(target);
    h.answer((now, r) => ({
      status: 200,
      json: { ...target.validBody(now, r), access_token: 'opaque-token-canary-9d1e2f', expires_in: target.absoluteExpiry ? 4_000_000_000 : 1e12 },
    }));
    const result = await h.call();
    // Layer1 documents a positive integer; 1e12 is one. Either way: a token of at most 31 days, or a typed error.
    if (expectTokenOrTypedError(result, h.state.now)) expect(result.value.expiresAt).toBeLessThanOrEqual(h.state.now + DAYS_31);
  });
});

describe('asset absolute expiry', () => {
  const target = MOCK_TARGETS.find((t) => t.name === 'asset token')!;

  it.each([
    ['ahead', 600_000],
    ['behind', -600_000],
  ])("reads expires_in as a unix time on the provider's clock (Date header, 10 minutes %s)", async (_label, skew) => {
    const h = harness(target);
    h.answer((now) => ({
      status: 200,
      json: { access_token: 'opaque-token-canary-9d1e2f', token_type: 'Bearer', expires_in: Math.floor((now + skew) / 1000) + 3600 },
      headers: { date: new Date(now + skew).toUTCString() },
    }));
    const result = await h.call();
    expect(expectTokenOrTypedError(result, h.state.now)).toBe(true);
    const lifetime = result.value!.expiresAt - h.state.now;
    expect(lifetime).toBeGreaterThan(3_500_000);
    expect(lifetime).toBeLessThanOrEqual(3_601_000);
  });

  it('treats a duration-looking expires_in as seconds from now and says so in an event', async () => {
    const h = harness(target);
    h.answer(() => ({ status: 200, json: { access_token: 'opaque-token-canary-9d1e2f', token_type: 'Bearer', expires_in: 3600 } }));
    const result = await h.call();
    expect(expectTokenOrTypedError(result, h.state.now)).toBe(true);
    expect(result.value!.expiresAt - h.state.now).toBeLessThanOrEqual(3_600_000);
    expect(h.events.some((e) => e.type === 'token.expiry_adjusted' && e.reason === 'absolute-looked-like-duration')).toBe(true);
  });
});

describe('thredfi business token', () => {
  const target = MOCK_TARGETS.find((t) => t.name === 'thredfi business token')!;

  it('refuses a token for another business than requested, and caches nothing', async () => {
    const h = harness(target);
    h.answer((now, r) => ({ status: 200, json: { ...target.validBody(now, r), business_id: '99999999-9999-4999-8999-999999999999' } }));
    const result = await h.call();
    expect(result.error).toBeInstanceOf(ResponseValidationError);
    expect((result.error as ResponseValidationError).field).toBe('business_id');
    h.answer((now, r) => ({ status: 200, json: target.validBody(now, r) }));
    const next = await outcome(() => h.client.get());
    expect(expectTokenOrTypedError(next, h.state.now)).toBe(true);
    expect(next.value!.businessId).toBe(h.client.businessId);
  });
});

describe('a real server sending an enormous body', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 'hostile-responses' });
    scanner.add(...sandboxCanaries(sandbox));
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  it.each(TARGETS)('$name: refuses 2 MiB of JSON, and 2 MiB of HTML on a 500, at the 1 MiB cap', async (target) => {
    const client = target.create(sandbox, { retry: false });
    await client.warm();
    const big = JSON.stringify({ access_token: 'x'.repeat(2 * 1024 * 1024), expires_in: 3600, token_type: 'Bearer' });
    const html = `<html><body>${'<p>oops</p>'.repeat(200_000)}</body></html>`;
    sandbox.faults.inject(target.endpoint, [{ body: { raw: big } }, { status: 500, body: { raw: html, contentType: 'text/html' } }]);
    for (let i = 0; i < 2; i++) {
      const result = await outcome(() => client.get({ forceRefresh: true }));
      expect(result.error).toBeInstanceOf(ResponseValidationError);
      expect((result.error as ResponseValidationError).field).toBe('(body)');
      scanner.scan('error', result.error);
    }
  });
});

describe('secret hygiene of everything above', () => {
  it('no error, event or token of this file shows a secret or a parent token', () => {
    expect(scanner.scanned).toBeGreaterThan(500);
    scanner.expectClean();
  });
});

expectNoUnhandledRejections(rejections);
