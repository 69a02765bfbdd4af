import { startSandbox, type Sandbox } from '@fintoken/sandbox';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, expectAllDelivered, round, startFleet, type Instance, type InstanceConfig } from './fleet.js';
import { expectNoFailure, recordFetches, requestsBetween, sharedRequests, startLoad } from './fleetLoad.js';
import { uniquePrefix } from './helpers.js';
import { MASTER_NAME, startSentinel, type TestSentinel } from './redisSentinel.js';

// Sentinel-managed Redis (failover by promotion), started here: a master, a replica and three
// sentinels on free ports. The instances find the master through the sentinels, with ioredis
// (`new Redis({ sentinels, name })`) or node-redis (`createSentinel`).
const INSTANCES = 4;
const CALLERS = 25;
const TOKEN_TTL_S = 4;
// What the client keeps of a 4 s token: core's expiry takes off a 10 % safety margin.
const LIFETIME_MS = TOKEN_TTL_S * 1000 * 0.9;
const LOAD_MS = 16_000;

let sandbox: Sandbox;
let fleet: Instance[] = [];

const tokenRequests = () => sandbox.stats.count('layer1.token');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

beforeAll(async () => {
  assertBuilt();
  sandbox = await startSandbox({ tokenTtl: { layer1: TOKEN_TTL_S } });
});

afterEach(async () => {
  await Promise.all(fleet.map((i) => i.stop()));
  fleet = [];
});

afterAll(async () => {
  await sandbox?.close();
});

describe.each(['ioredis', 'node-redis'] as const)(`a fleet of ${INSTANCES} processes × ${CALLERS} callers on Sentinel-managed Redis (%s)`, (library) => {
  let sentinel: TestSentinel;
  beforeAll(async () => {
    sentinel = await startSentinel();
  }, 60_000);
  afterAll(async () => {
    await sentinel?.close();
  });

  function config(): InstanceConfig {
    const { clientId, clientSecret } = sandbox.credentials.layer1;
    const sentinels = sentinel.sentinels;
    return { redisUrl: '', sentinel: { sentinels, name: MASTER_NAME }, library, prefix: uniquePrefix(), tokenUrl: sandbox.urls.layer1.tokenUrl, clientId, clientSecret, operationTimeoutMs: 300 };
  }

  it('makes 1 token request on a cold start', async () => {
    fleet = await startFleet(INSTANCES, config());
    const before = tokenRequests();
    const first = await round(fleet, 1, CALLERS);
    expectAllDelivered(first, INSTANCES, CALLERS);
    expect(tokenRequests() - before).toBe(1);
    expect(first.flatMap((r) => r.events).filter((e) => e.type === 'store.error')).toEqual([]);
  }, 60_000);

  it(`the master SIGKILLed under load, ${LOAD_MS / 1000} s: 0 failed calls, 0 expired tokens, at most one extra request per instance`, async () => {
    fleet = await startFleet(INSTANCES, config());
    const fetches = recordFetches(fleet);
    const before = tokenRequests();
    const started = Date.now();
    const load = startLoad(fleet, CALLERS, LOAD_MS);

    await sleep(5_000);
    const killedAt = Date.now();
    const master = await sentinel.killMaster();
    await sentinel.failedOver(master);
    const failedOverAt = Date.now();
    const stats = await load;
    const ended = Date.now();

    const total = tokenRequests() - before;
    const rel = (at: number) => ((at - started) / 1000).toFixed(1);
    console.info(`[sentinel failover ${library}] ${total} token requests in ${ended - started} ms; killed at ${rel(killedAt)} s, promoted at ${rel(failedOverAt)} s; per instance: ${fetches.map((f) => f.map(rel).join(',')).join(' | ')}`);
    expectNoFailure(stats, CALLERS);
    expect(total).toBeLessThanOrEqual(sharedRequests(ended - started, LIFETIME_MS) + INSTANCES);
    for (const own of fetches) expect(requestsBetween([own], killedAt, failedOverAt)).toBeLessThanOrEqual(1);
    // The clients follow the promoted replica and share again: one request at a time.
    const settled = fetches.flat().filter((at) => at > failedOverAt + LIFETIME_MS).sort((a, b) => a - b);
    expect(settled.length).toBeGreaterThan(0);
    const gaps = settled.slice(1).map((at, i) => at - (settled[i] as number));
    expect(Math.min(...gaps, Number.POSITIVE_INFINITY)).toBeGreaterThan(500);
  }, 90_000);
});
