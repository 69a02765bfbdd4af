import { startSandbox, type Sandbox } from '@fintoken/sandbox';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, expectAllDelivered as expectFleetDelivered, round, startFleet, type Instance, type InstanceConfig, type RoundResult } from './fleet.js';
import { deleteKeys, rawClient, REDIS_URL, uniquePrefix } from './helpers.js';
import { startProxy, type TcpProxy } from './proxy.js';

// The definition of done: N processes, each with its own memory cache, make ONE token
// request per refresh between them. Each instance is a forked Node process (test/fixtures).
const INSTANCES = 8;
const CONCURRENCY = 100;
const TOKEN_TTL_S = 4;

let sandbox: Sandbox;
let raw: Redis;
let fleet: Instance[] = [];
let proxy: TcpProxy | undefined;
const prefixes: string[] = [];

function config(overrides: Partial<InstanceConfig> = {}): InstanceConfig {
  const prefix = uniquePrefix();
  prefixes.push(prefix);
  const { clientId, clientSecret } = sandbox.credentials.layer1;
  return { redisUrl: REDIS_URL, prefix, tokenUrl: sandbox.urls.layer1.tokenUrl, clientId, clientSecret, operationTimeoutMs: 5_000, ...overrides };
}

const tokenRequests = () => sandbox.stats.count('layer1.token');
const fingerprints = (results: RoundResult[]) => new Set(results.flatMap((r) => r.fingerprints));
const withEvent = (results: RoundResult[], type: string, reason?: string) =>
  results.filter((r) => r.events.some((e) => e.type === type && (reason === undefined || e.reason === reason))).length;

async function sleepUntil(epochMs: number): Promise<void> {
  const ms = epochMs - Date.now();
  if (ms > 0) await new Promise((r) => setTimeout(r, ms));
}

const expectAllDelivered = (results: RoundResult[], instances: number) => expectFleetDelivered(results, instances, CONCURRENCY);

beforeAll(async () => {
  assertBuilt();
  sandbox = await startSandbox({ tokenTtl: { layer1: TOKEN_TTL_S } });
  raw = rawClient();
});

afterEach(async () => {
  await Promise.all(fleet.map((i) => i.stop()));
  fleet = [];
  await proxy?.close();
  proxy = undefined;
  sandbox.faults.clear();
});

afterAll(async () => {
  for (const prefix of prefixes) await deleteKeys(raw, prefix);
  raw.disconnect();
  await sandbox?.close();
});

describe(`a fleet of ${INSTANCES} processes × ${CONCURRENCY} concurrent getToken()`, () => {
  it('makes exactly one token request on a cold start, and exactly one more after expiry', async () => {
    fleet = await startFleet(INSTANCES, config());
    const before = tokenRequests();

    const first = await round(fleet, 1, CONCURRENCY);
    expectAllDelivered(first, INSTANCES);
    expect(tokenRequests() - before).toBe(1);
    expect(fingerprints(first).size).toBe(1);
    // One instance fetched; every other one took the token from Redis, through the lock/wait path.
    expect(withEvent(first, 'token.fetched')).toBe(1);
    expect(withEvent(first, 'cache.hit', 'shared-store')).toBe(INSTANCES - 1);
    expect(withEvent(first, 'store.error')).toBe(0);

    // Past the token's expiry: memory and Redis (PX) have both dropped it.
    await sleepUntil(Math.max(...first.map((r) => r.expiresAt)) + 250);
    const second = await round(fleet, 2, CONCURRENCY);
    expectAllDelivered(second, INSTANCES);
    expect(tokenRequests() - before).toBe(2);
    expect(fingerprints(second).size).toBe(1);
    expect([...fingerprints(second)][0]).not.toBe([...fingerprints(first)][0]);
    expect(withEvent(second, 'token.refreshed')).toBe(1);
    expect(withEvent(second, 'store.error')).toBe(0);
  }, 60_000);

  it('recovers within the lock lease when the lock holder is SIGKILLed mid-request: the survivors share 1 new request', async () => {
    // The defaults of the client (lockTtlMs and waitTimeoutMs derived from its fetch deadline);
    // only the store's lease is short, so the test does not wait 5 s.
    const lockLeaseMs = 1_200;
    fleet = await startFleet(INSTANCES, config({ operationTimeoutMs: 400, lockLeaseMs }));
    const before = tokenRequests();
    // The holder's token request never gets an answer; it is killed while waiting for one.
    sandbox.faults.inject('layer1.token', { hang: true, times: 1 });

    for (const instance of fleet) instance.send({ type: 'round', round: 1, concurrency: CONCURRENCY });
    const holder = await Promise.race(fleet.map((i) => i.next('fetching', 15_000).then(() => i)));
    const deadline = Date.now() + 10_000;
    while (tokenRequests() === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(tokenRequests() - before).toBe(1);
    // Long enough for the watchdog to have renewed the lease: a live holder keeps its lock.
    await new Promise((r) => setTimeout(r, 2 * lockLeaseMs));
    expect(tokenRequests() - before).toBe(1);
    await holder.kill();
    const killedAt = Date.now();

    const survivors = fleet.filter((i) => i !== holder);
    const results = await Promise.all(survivors.map((i) => i.next('result', 30_000) as Promise<unknown> as Promise<RoundResult>));
    const recoveryMs = Date.now() - killedAt;

    expectAllDelivered(results, INSTANCES - 1);
    expect(fingerprints(results).size).toBe(1);
    // The hung request plus exactly one by the survivor that retook the lapsed lock.
    expect(tokenRequests() - before).toBe(2);
    expect(withEvent(results, 'token.fetched')).toBe(1);
    // The dead holder's lease, then one waiter's next look at the lock (1 s slices): the lock's life + 2 s.
    expect(recoveryMs).toBeLessThan(lockLeaseMs + 2_000);
  }, 60_000);

  it('keeps delivering tokens when Redis goes away: from memory, then from the provider, with store.error', async () => {
    proxy = await startProxy(REDIS_URL);
    const operationTimeoutMs = 300;
    fleet = await startFleet(INSTANCES, config({ redisUrl: proxy.url, operationTimeoutMs, refreshAhead: false }));
    const before = tokenRequests();

    const warm = await round(fleet, 1, CONCURRENCY);
    expectAllDelivered(warm, INSTANCES);
    expect(tokenRequests() - before).toBe(1);

    proxy.refuse();
    const fromMemory = await round(fleet, 2, CONCURRENCY);
    expectAllDelivered(fromMemory, INSTANCES);
    expect(fingerprints(fromMemory)).toEqual(fingerprints(warm));
    expect(tokenRequests() - before).toBe(1);

    await sleepUntil(Math.max(...warm.map((r) => r.expiresAt)) + 250);
    const degraded = await round(fleet, 3, CONCURRENCY);
    expectAllDelivered(degraded, INSTANCES);
    // Without the store every instance fetches for itself, once (its own single-flight).
    expect(tokenRequests() - before).toBe(1 + INSTANCES);
    expect(withEvent(degraded, 'store.error')).toBe(INSTANCES);
    // A get and a lock, each bounded, then the provider: never stuck behind Redis.
    for (const r of degraded) expect(r.durationMs).toBeLessThan(4 * operationTimeoutMs + 3_000);
  }, 60_000);
});
