import { decodeJwtClaims, type FintokenEvent } from '@fintoken/core';
import { createRedisStore } from '@fintoken/redis';
import { startSandbox, type Sandbox } from '@fintoken/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LeakScanner } from './support/leaks.js';
import { outcome, sandboxCanaries, TARGETS } from './support/targets.js';
import { expectNoUnhandledRejections, trackUnhandledRejections } from './support/unhandled.js';

const rejections = trackUnhandledRejections();

type Outage = 'hangs' | 'refuses connections' | 'is a read-only replica' | 'returns garbage';

/**
 * A node-redis look-alike for a Redis that misbehaves: every command hangs, fails (quoting its
 * arguments back, as Redis replies do, so a stored token would be in the message), or answers
 * nonsense. No real Redis needed: what is tested is how the store and the cache degrade.
 */
function brokenRedis(outage: Outage) {
  const never = () => new Promise<never>(() => undefined);
  const fail = (message: string, code?: string) => Promise.reject(Object.assign(new Error(message), code === undefined ? {} : { code }));
  const client = {
    isOpen: true,
    commands: 0,
    sendCommand(args: string[]): Promise<unknown> {
      client.commands += 1;
      switch (outage) {
        case 'hangs':
          return never();
        case 'refuses connections':
          return fail(`connect ECONNREFUSED 127.0.0.1:6379 (while sending ${args.join(' ')})`, 'ECONNREFUSED');
        case 'is a read-only replica':
          return fail(`READONLY You can't write against a read only replica. ${args.join(' ')}`);
        default:
          return Promise.resolve('{"accessToken": 42, "garbage": true');
      }
    },
    duplicate: () => client,
    connect: async () => undefined,
    subscribe: () => (outage === 'hangs' ? never() : Promise.resolve()),
    on: () => client,
    close: async () => undefined,
    destroy: () => undefined,
  };
  return client;
}

const OUTAGES: Outage[] = ['hangs', 'refuses connections', 'is a read-only replica', 'returns garbage'];
const STORE_TARGETS = TARGETS.filter((t) => ['layer client token', 'thredfi business token', 'asset token'].includes(t.name));

describe('a shared Redis store that misbehaves', () => {
  let sandbox: Sandbox;
  const scanner = new LeakScanner();
  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 'store-outage' });
    scanner.add(...sandboxCanaries(sandbox));
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  describe.each(OUTAGES)('when Redis %s', (outage) => {
    it.each(STORE_TARGETS)('$name is still delivered from the provider, within a bounded time', async (target) => {
      const redis = brokenRedis(outage);
      const events: FintokenEvent[] = [];
      const store = createRedisStore({ client: redis, operationTimeoutMs: 100, onEvent: (e) => events.push(e) });
      const client = target.create(sandbox, {
        store,
        // A short fetch deadline (1 s) lets the lock and the wait be short too: the client
        // refuses a wait shorter than the lock, and a lock shorter than one fetch.
        timeoutMs: 500,
        lockTtlMs: 1_000,
        waitTimeoutMs: 1_200,
        retry: { attempts: 2, baseDelayMs: 5, maxDelayMs: 20, deadlineMs: 1_000 },
        onEvent: (e) => events.push(e),
      });
      for (const forceRefresh of [false, true]) {
        const result = await outcome(() => client.get({ forceRefresh }));
        expect(result.error).toBeUndefined();
        const token = result.value!;
        scanner.add({ label: `${target.name} token`, value: token.accessToken });
        expect(token.expiresAt).toBeGreaterThan(Date.now());
        if (client.businessId !== undefined) expect(decodeJwtClaims(token.accessToken)?.business_id).toBe(client.businessId);
        // Bounded: store operations time out (100 ms) or fail fast; waiting for a peer is capped (1.2 s).
        expect(result.ms).toBeLessThan(3_000);
      }
      expect(redis.commands).toBeGreaterThan(0);
      expect(events.some((e) => e.type === 'store.error')).toBe(true);
      for (const event of events) scanner.scan(`${target.name} ${event.type} event (${outage})`, event);
      await store.quit();
    });
  });

  it('no store.error event or error quotes a token or a secret', () => {
    expect(scanner.scanned).toBeGreaterThan(10);
    scanner.expectClean();
  });
});

expectNoUnhandledRejections(rejections);
