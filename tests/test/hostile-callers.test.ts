import { AbortError, FintokenError, InvalidRequestError, type Token } from '@fintoken/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LeakScanner } from './support/leaks.js';
import { MOCK_BUSINESS, MOCK_TARGETS, mockCanaries, mockHarness, type MockTarget } from './support/mockTargets.js';
import { outcome } from './support/targets.js';
import { expectNoUnhandledRejections, trackUnhandledRejections } from './support/unhandled.js';

const rejections = trackUnhandledRejections();
const scanner = new LeakScanner().add(...mockCanaries());

/** A client of `target` on a MockAgent provider that fails (503) whenever `state.fail` is set. */
function harness(target: MockTarget, onEvent?: () => void) {
  const state = { fail: false };
  const mock = mockHarness(target, (r) => (state.fail ? { status: 503, json: { error: 'temporarily_unavailable' } } : { status: 200, json: target.validBody(Date.now(), r) }));
  const kind = target.create(mock.agent, { retry: false, ...(onEvent === undefined ? {} : { onEvent }) });
  const { client } = kind;
  return { state, mock, target: kind, getToken: (request: unknown) => (client as { getToken(r: unknown): Promise<Token> }).getToken(request) };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 100));

/** Requests a JavaScript caller might pass: right and wrong types in every field, any other value. */
const requests = fc.oneof(
  fc.record(
    {
      businessId: fc.oneof(fc.constantFrom(MOCK_BUSINESS.layer, MOCK_BUSINESS.thredfi, MOCK_BUSINESS.asset), fc.anything({ maxDepth: 1 })),
      scope: fc.oneof(fc.constantFrom('a b', ['a']), fc.anything({ maxDepth: 1 })),
      resource: fc.oneof(fc.constant('https://api.example.com'), fc.anything({ maxDepth: 1 })),
      forceRefresh: fc.anything({ maxDepth: 1 }),
      rejectedToken: fc.anything({ maxDepth: 1 }),
      sessionDuration: fc.anything({ maxDepth: 1 }),
      expiresIn: fc.anything({ maxDepth: 1 }),
      // Only real AbortSignals here: anything else has its own test below (a known bug).
      signal: fc.constantFrom(undefined, new AbortController().signal),
    },
    { requiredKeys: [] },
  ),
  // Any value but null (its own test below).
  fc.anything().filter((v) => v !== null),
);

describe.each(MOCK_TARGETS)('$name getToken with whatever a caller passes', (target) => {
  it('gives a token or rejects with a FintokenError: never a TypeError, never a synchronous throw (property)', async () => {
    const h = harness(target);
    await fc.assert(
      fc.asyncProperty(requests, fc.boolean(), async (request, fail) => {
        h.state.fail = fail;
        const result = await outcome(() => h.getToken(request));
        expect(result.sync).toBeUndefined();
        if (result.error === undefined) {
          expect(typeof result.value!.accessToken).toBe('string');
          return;
        }
        expect(result.error).toBeInstanceOf(FintokenError);
        scanner.scan('error', result.error);
      }),
      { numRuns: 150, seed: 31 },
    );
    await settle();
  });

  it('delivers tokens even when the onEvent listener throws', async () => {
    const h = harness(target, () => {
      throw new Error('listener bug');
    });
    const result = await outcome(() => h.getToken({ forceRefresh: true }));
    expect(result.error).toBeUndefined();
  });

  // Regression test for a bug this suite found (fixed in core since): before the fix, core's createProviderClient reads
  // request.businessId/scope/resource without checking that the request is an object, so
  // getToken(null) rejects with a TypeError (Layer, Thredfi, Layer1; Asset validates first).
  it('refuses getToken(null) with an InvalidRequestError', async () => {
    const h = harness(target);
    const result = await outcome(() => h.getToken(null));
    expect(result.sync).toBeUndefined();
    expect(result.error).toBeInstanceOf(InvalidRequestError);
    expect(h.mock.requests).toHaveLength(0);
  });
});

describe.each(MOCK_TARGETS)('$name getToken with an AbortSignal', (target) => {
  // Regression test for a bug this suite found (fixed in core since): before the fix, TokenCache.get starts the slow-path load
  // and only then hands it to raceSignal, which returns a rejection at once for an aborted
  // signal (or throws inside its executor for a non-AbortSignal) without ever subscribing to the
  // load. The token request is still sent, and when it fails its rejection is unhandled: the
  // default Node behaviour for that is to crash the process.
  it.each([
    ['an already aborted AbortSignal', (): unknown => AbortSignal.abort(), AbortError],
    ['a signal that is not an AbortSignal ({ aborted: false })', (): unknown => ({ aborted: false }), InvalidRequestError],
    ['a signal that is a string', (): unknown => 'abort', InvalidRequestError],
  ] as const)('refuses %s without sending a request or leaving an unhandled rejection', async (_label, signal, type) => {
    const h = harness(target);
    h.state.fail = true;
    const before = rejections.reasons.length;
    // The token of this kind (business-scoped where the target is), so the failing endpoint is the one asked.
    const result = await outcome(() => h.target.get({ forceRefresh: true, signal: signal() as AbortSignal }));
    await settle();
    expect(result.sync).toBeUndefined();
    expect(result.error).toBeInstanceOf(type);
    expect(rejections.reasons.length - before, 'unhandled rejections caused by this call').toBe(0);
    expect(h.mock.requests.filter((r) => target.underTest(r))).toHaveLength(0);
  });
});

describe('secret hygiene of everything above', () => {
  it('no error shows a secret', () => {
    scanner.expectClean();
  });
});

expectNoUnhandledRejections(rejections);
