import {
  AbortError,
  FintokenError,
  NetworkError,
  ProviderError,
  ResponseValidationError,
  TimeoutError,
  decodeJwtClaims,
  type CommonOptions,
  type Token,
} from '@fintoken/core';
import { startSandbox, type Fault, type Sandbox } from '@fintoken/sandbox';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { LeakScanner } from './leaks.js';
import { eventLog, outcome, sandboxCanaries, type Target, type TargetClient } from './targets.js';

// Small, fast retry settings: the policy is the same as the defaults', only the scale changes.
const RETRY = { attempts: 4, baseDelayMs: 5, maxDelayMs: 50, deadlineMs: 5_000 };
const TIMEOUT_MS = 400;
/** Slack for "ends within its deadline": generous, the machine is shared and noisy. */
const SLACK_MS = 2_000;

/**
 * The fault matrix for one client kind, driven by the sandbox's fault injection: 5xx bursts,
 * 429 with Retry-After (seconds and HTTP-date), hangs, dropped connections, slow bodies, clock
 * skew, failures never cached, expired tokens never served.
 */
export function describeFaults(target: Target): void {
  describe(`${target.name} under faults`, () => {
    let sandbox: Sandbox;
    const scanner = new LeakScanner();
    let log = eventLog();

    beforeAll(async () => {
      sandbox = await startSandbox({ seed: `faults/${target.name}` });
      scanner.add(...sandboxCanaries(sandbox));
    });
    afterEach(() => {
      sandbox.faults.clear();
      sandbox.clock.setSkewMs(0);
      for (const event of log.events) scanner.scan(`${event.type} event`, event);
    });
    afterAll(async () => {
      await sandbox?.close();
    });

    function setup(options: CommonOptions = {}): TargetClient {
      log = eventLog();
      const client = target.create(sandbox, { retry: RETRY, timeoutMs: TIMEOUT_MS, onEvent: log.onEvent, ...options });
      scanner.scan('client', client.client);
      return client;
    }
    /** Cache the parent token, then count only the requests for the token under test. */
    async function warmed(client: TargetClient): Promise<TargetClient> {
      const parent = await client.warm();
      if (parent !== undefined) scanner.add({ label: 'parent access token', value: parent.accessToken });
      sandbox.stats.reset();
      return client;
    }
    const requests = () => sandbox.stats.count(target.endpoint);
    const retryDelays = () => log.of('retry.scheduled').map((e) => e.delayMs);

    function expectToken(token: Token | undefined, client: TargetClient, now = Date.now()): Token {
      expect(token).toBeDefined();
      const t = token!;
      scanner.scan('token', t);
      scanner.add({ label: 'access token', value: t.accessToken });
      expect(typeof t.accessToken).toBe('string');
      expect(t.expiresAt).toBeGreaterThan(now);
      // Never longer than the provider granted (plus the Date header's one-second granularity).
      expect(t.expiresAt).toBeLessThanOrEqual(now + target.ttlSeconds * 1000 + 1_000);
      if (client.businessId !== undefined) {
        expect(t.businessId).toBe(client.businessId);
        expect(decodeJwtClaims(t.accessToken)?.business_id).toBe(client.businessId);
      }
      return t;
    }
    function expectError<E extends FintokenError>(error: unknown, type: abstract new (...args: never[]) => E, code: string): E {
      expect(error).toBeInstanceOf(FintokenError);
      expect(error).toBeInstanceOf(type);
      expect((error as FintokenError).code).toBe(code);
      scanner.scan('error', error);
      return error as E;
    }

    it('recovers from a burst of 5xx, backing off per policy', async () => {
      const client = await warmed(setup());
      sandbox.faults.inject(target.endpoint, [{ status: 500 }, { status: 502 }, { status: 503 }]);
      expectToken((await outcome(() => client.get())).value, client);
      expect(requests()).toBe(4);
      const retries = log.of('retry.scheduled');
      expect(retries.map((e) => e.attempt)).toEqual([1, 2, 3]);
      // Full jitter: attempt n waits at most min(maxDelayMs, baseDelayMs * 2^(n-1)).
      for (const e of retries) expect(e.delayMs).toBeLessThanOrEqual(Math.min(RETRY.maxDelayMs, RETRY.baseDelayMs * 2 ** (e.attempt! - 1)));
    });

    it('gives up after `attempts` 5xx with a ProviderError carrying the status', async () => {
      const client = await warmed(setup());
      sandbox.faults.inject(target.endpoint, { status: 503, times: Infinity });
      const result = await outcome(() => client.get());
      expect(expectError(result.error, ProviderError, 'ERR_PROVIDER').status).toBe(503);
      expect(requests()).toBe(RETRY.attempts);
      expect(result.ms).toBeLessThan(RETRY.deadlineMs + SLACK_MS);
    });

    it('makes one bounded retry sequence for 20 concurrent callers, all of whom get the typed error', async () => {
      const client = await warmed(setup());
      sandbox.faults.inject(target.endpoint, { status: 502, times: Infinity });
      const results = await Promise.all(Array.from({ length: 20 }, () => outcome(() => client.get())));
      for (const result of results) expect(expectError(result.error, ProviderError, 'ERR_PROVIDER').status).toBe(502);
      expect(requests()).toBe(RETRY.attempts);
    });

    it("ends a caller's wait at its AbortSignal; the shared request carries on for the others", async () => {
      const client = await warmed(setup());
      sandbox.faults.inject(target.endpoint, { hang: true });
      const controller = new AbortController();
      const patient = outcome(() => client.get());
      const impatient = outcome(() => client.get({ signal: controller.signal }));
      setTimeout(() => controller.abort(), 50);
      const aborted = await impatient;
      expectError(aborted.error, AbortError, 'ERR_ABORTED');
      expect(aborted.ms).toBeLessThan(TIMEOUT_MS + SLACK_MS);
      expectToken((await patient).value, client);
      expect(requests()).toBe(2);
    });

    it('waits the Retry-After seconds of a 429 before the next attempt', async () => {
      const client = await warmed(setup());
      sandbox.faults.inject(target.endpoint, { status: 429, retryAfter: 1 });
      const result = await outcome(() => client.get());
      expectToken(result.value, client);
      expect(requests()).toBe(2);
      expect(retryDelays()).toEqual([1_000]);
      expect(result.ms).toBeGreaterThanOrEqual(990);
    });

    it("waits until a Retry-After HTTP-date, measured on the provider's clock (skewed +10 min)", async () => {
      const client = await warmed(setup());
      sandbox.clock.setSkewMs(10 * 60_000);
      // HTTP-dates have one-second resolution: 2 s ahead of the provider's clock is a 1-2 s wait.
      sandbox.faults.inject(target.endpoint, { status: 429, retryAfter: new Date(sandbox.clock.now() + 2_000).toUTCString() });
      expectToken((await outcome(() => client.get())).value, client);
      expect(requests()).toBe(2);
      const [delay] = retryDelays();
      expect(delay).toBeGreaterThanOrEqual(1_000);
      expect(delay).toBeLessThanOrEqual(2_000);
    });

    it('does not wait for a Retry-After beyond maxRetryAfterMs: one request, a 429 ProviderError', async () => {
      const client = await warmed(setup());
      sandbox.faults.inject(target.endpoint, { status: 429, retryAfter: 120, times: Infinity });
      const result = await outcome(() => client.get());
      const error = expectError(result.error, ProviderError, 'ERR_PROVIDER');
      expect(error.status).toBe(429);
      expect(error.retryAfterMs).toBe(120_000);
      expect(requests()).toBe(1);
      expect(result.ms).toBeLessThan(SLACK_MS);
    });

    it('times out a hung request and retries it', async () => {
      const client = await warmed(setup());
      sandbox.faults.inject(target.endpoint, { hang: true });
      expectToken((await outcome(() => client.get())).value, client);
      expect(requests()).toBe(2);
      expect(log.of('retry.scheduled')[0]?.error?.code).toBe('ERR_TIMEOUT');
    });

    it('ends with a TimeoutError within its deadline when every attempt hangs', async () => {
      const deadlineMs = 1_200;
      const client = await warmed(setup({ retry: { ...RETRY, attempts: 10, deadlineMs } }));
      sandbox.faults.inject(target.endpoint, { hang: true, times: Infinity });
      const result = await outcome(() => client.get());
      expectError(result.error, TimeoutError, 'ERR_TIMEOUT');
      expect(result.ms).toBeLessThan(deadlineMs + SLACK_MS);
      expect(requests()).toBeGreaterThanOrEqual(2);
      expect(requests()).toBeLessThanOrEqual(10);
    });

    it('retries dropped connections', async () => {
      const client = await warmed(setup());
      sandbox.faults.inject(target.endpoint, { drop: true, times: 2 });
      expectToken((await outcome(() => client.get())).value, client);
      expect(requests()).toBe(3);
      expect(log.of('retry.scheduled').map((e) => e.error?.code)).toEqual(['ERR_NETWORK', 'ERR_NETWORK']);
    });

    it('ends with a NetworkError when every connection is dropped', async () => {
      const client = await warmed(setup());
      sandbox.faults.inject(target.endpoint, { drop: true, times: Infinity });
      const result = await outcome(() => client.get());
      expectError(result.error, NetworkError, 'ERR_NETWORK');
      expect(requests()).toBe(RETRY.attempts);
      expect(result.ms).toBeLessThan(RETRY.deadlineMs + SLACK_MS);
    });

    it('times out a body slower than timeoutMs, then succeeds on the next attempt', async () => {
      const client = await warmed(setup());
      sandbox.faults.inject(target.endpoint, { slowBodyMs: 1_500 });
      expectToken((await outcome(() => client.get())).value, client);
      expect(requests()).toBe(2);
      expect(log.of('retry.scheduled')[0]?.error?.code).toBe('ERR_TIMEOUT');
    });

    it('accepts a slow body that completes within timeoutMs', async () => {
      const client = await warmed(setup({ timeoutMs: 3_000 }));
      sandbox.faults.inject(target.endpoint, { slowBodyMs: 200 });
      expectToken((await outcome(() => client.get())).value, client);
      expect(requests()).toBe(1);
    });

    it.each([
      ['ahead', 10 * 60_000],
      ['behind', -10 * 60_000],
    ])("serves a token with the provider's full lifetime when its clock is 10 minutes %s", async (_label, skew) => {
      sandbox.clock.setSkewMs(skew);
      const client = setup();
      const now = Date.now();
      const token = expectToken((await outcome(() => client.get())).value, client, now);
      // Not shortened (or dead on arrival) by the skew: lifetime minus the 10 s safety margin and slack.
      expect(token.expiresAt).toBeGreaterThanOrEqual(now + target.ttlSeconds * 1000 - 15_000);
    });

    it('never caches a failure: the next call makes a new request and succeeds', async () => {
      const failures: Array<{ fault: Fault; type: abstract new (...args: never[]) => FintokenError; code: string; requests: number }> = [
        { fault: { status: 503, times: RETRY.attempts }, type: ProviderError, code: 'ERR_PROVIDER', requests: RETRY.attempts },
        { fault: { body: 'html' as const }, type: ResponseValidationError, code: 'ERR_RESPONSE_VALIDATION', requests: 1 },
        { fault: { body: 'missing-access-token' as const }, type: ResponseValidationError, code: 'ERR_RESPONSE_VALIDATION', requests: 1 },
        { fault: { body: 'malformed-json' as const }, type: ResponseValidationError, code: 'ERR_RESPONSE_VALIDATION', requests: 1 },
      ];
      for (const failure of failures) {
        const client = await warmed(setup());
        sandbox.faults.inject(target.endpoint, failure.fault);
        expectError((await outcome(() => client.get())).error, failure.type, failure.code);
        expect(requests()).toBe(failure.requests);
        expectToken((await outcome(() => client.get())).value, client);
        expect(requests()).toBe(failure.requests + 1);
      }
    });

    it('never serves an expired token (injected clock)', async () => {
      let now = Date.now();
      const client = setup({ now: () => now });
      const first = expectToken((await outcome(() => client.get())).value, client, now);
      sandbox.stats.reset();
      now = first.expiresAt;
      const second = expectToken((await outcome(() => client.get())).value, client, now);
      expect(second.accessToken).not.toBe(first.accessToken);
      expect(requests()).toBe(1);
    });

    it('serves the still-valid token while a refresh-ahead fails, and never past its expiry', async () => {
      let now = Date.now();
      const client = setup({ now: () => now });
      const first = expectToken((await outcome(() => client.get())).value, client, now);
      sandbox.faults.inject(target.endpoint, { status: 503, times: Infinity });
      now = first.expiresAt - 30_000; // inside the refresh-ahead window (lead >= 60 s)
      expect((await client.get()).accessToken).toBe(first.accessToken);
      await vi.waitFor(() => expect(log.of('token.failed').length).toBeGreaterThan(0), { timeout: 5_000 });
      now = first.expiresAt;
      expectError((await outcome(() => client.get())).error, ProviderError, 'ERR_PROVIDER');
      sandbox.faults.clear();
      const fresh = expectToken((await outcome(() => client.get())).value, client, now);
      expect(fresh.accessToken).not.toBe(first.accessToken);
    });

    it('puts no secret in any error, event, client or token it produced', () => {
      expect(scanner.scanned).toBeGreaterThan(50);
      scanner.expectClean();
    });
  });
}
