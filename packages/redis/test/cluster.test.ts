import { startSandbox, type Sandbox } from '@fintoken/sandbox';
import { Cluster } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, expectAllDelivered, round, startFleet, type Instance, type InstanceConfig } from './fleet.js';
import { expectNoFailure, recordFetches, requestsBetween, sharedRequests, startLoad } from './fleetLoad.js';
import { uniquePrefix } from './helpers.js';
import { startCluster, type TestCluster } from './redisCluster.js';

// Redis Cluster, 3 masters + 3 replicas started here on free ports, as an operator runs it
// (ElastiCache cluster mode, `redis-cli --cluster create`). Each instance is a forked process
// with its own memory cache and its own cluster connection (test/fixtures/fleet-instance.mjs).
const INSTANCES = 4;
const CALLERS = 25;
const TOKEN_TTL_S = 4;
const LOAD_MS = 16_000;
// What the client keeps of a 4 s token: core's expiry takes off a 10 % safety margin.
const LIFETIME_MS = TOKEN_TTL_S * 1000 * 0.9;

let sandbox: Sandbox;
let cluster: TestCluster;
let raw: Cluster;
let fleet: Instance[] = [];

function config(library: 'ioredis' | 'node-redis', overrides: Partial<InstanceConfig> = {}): InstanceConfig {
  const { clientId, clientSecret } = sandbox.credentials.layer1;
  return {
    redisUrl: '',
    cluster: cluster.nodes,
    library,
    prefix: uniquePrefix(),
    tokenUrl: sandbox.urls.layer1.tokenUrl,
    clientId,
    clientSecret,
    operationTimeoutMs: 300,
    ...overrides,
  };
}

const tokenRequests = () => sandbox.stats.count('layer1.token');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/** Every key under `prefix` on each master (KEYS is per node), by port. */
async function keysByMaster(prefix: string): Promise<Map<number, string[]>> {
  const masters = raw.nodes('master');
  const keys = await Promise.all(masters.map((node) => node.keys(`${prefix}*`)));
  return new Map(masters.map((node, i) => [node.options.port as number, keys[i] as string[]]));
}

async function keysOf(prefix: string): Promise<string[]> {
  return [...(await keysByMaster(prefix)).values()].flat();
}

beforeAll(async () => {
  assertBuilt();
  [sandbox, cluster] = await Promise.all([startSandbox({ tokenTtl: { layer1: TOKEN_TTL_S } }), startCluster()]);
  raw = new Cluster(cluster.nodes);
  raw.on('error', () => undefined);
}, 60_000);

afterEach(async () => {
  await Promise.all(fleet.map((i) => i.stop()));
  fleet = [];
});

afterAll(async () => {
  raw?.disconnect();
  await cluster?.close();
  await sandbox?.close();
});

describe.each(['ioredis', 'node-redis'] as const)(`a fleet of ${INSTANCES} processes × ${CALLERS} callers on a 3+3 Redis Cluster (%s)`, (library) => {
  it('makes 1 token request on a cold start and 1 after expiry; entry and lock share a slot, on the key’s master', async () => {
    const cfg = config(library);
    fleet = await startFleet(INSTANCES, cfg);
    const before = tokenRequests();
    const first = await round(fleet, 1, CALLERS);
    expectAllDelivered(first, INSTANCES, CALLERS);
    expect(tokenRequests() - before).toBe(1);
    expect(new Set(first.flatMap((r) => r.fingerprints)).size).toBe(1);
    expect(first.flatMap((r) => r.events).filter((e) => e.type === 'store.error')).toEqual([]);

    const byMaster = await keysByMaster(cfg.prefix);
    const keys = [...byMaster.values()].flat();
    expect(keys).toHaveLength(1);
    const entry = keys[0] as string;
    expect(entry.endsWith(':token')).toBe(true);
    const lock = entry.replace(/:token$/, ':lock');
    expect(await raw.cluster('KEYSLOT', lock)).toBe(await raw.cluster('KEYSLOT', entry));
    // Routed by the hash tag: the entry is on the master that serves its slot.
    expect(byMaster.get(await cluster.masterOf(entry))).toEqual([entry]);

    await sleep(Math.max(...first.map((r) => r.expiresAt)) + 250 - Date.now());
    const second = await round(fleet, 2, CALLERS);
    expectAllDelivered(second, INSTANCES, CALLERS);
    expect(tokenRequests() - before).toBe(2);
  }, 60_000);
});

describe.each(['ioredis', 'node-redis'] as const)('the master holding the fleet’s token SIGKILLed under load (%s)', (library) => {
  it(`${INSTANCES} × ${CALLERS} callers for ${LOAD_MS / 1000} s: 0 failed calls, 0 expired tokens, at most one extra request per instance`, async () => {
    const cfg = config(library);
    fleet = await startFleet(INSTANCES, cfg);
    const fetches = recordFetches(fleet);
    const before = tokenRequests();
    const started = Date.now();
    const load = startLoad(fleet, CALLERS, LOAD_MS);

    // A few windows of shared refreshes, then the master of the token's slot dies mid-window.
    await sleep(5_000);
    const entry = (await keysOf(cfg.prefix)).find((k) => k.endsWith(':token')) as string;
    const master = await cluster.masterOf(entry);
    const killedAt = Date.now();
    await cluster.kill(master);
    await cluster.failedOver(entry, master);
    const failedOverAt = Date.now();
    const stats = await load;
    const ended = Date.now();

    const total = tokenRequests() - before;
    const rel = (at: number) => ((at - started) / 1000).toFixed(1);
    console.info(`[cluster failover ${library}] ${total} token requests in ${ended - started} ms; killed at ${rel(killedAt)} s, failed over at ${rel(failedOverAt)} s; per instance: ${fetches.map((f) => f.map(rel).join(',')).join(' | ')}`);
    if (process.env.FLEET_DEBUG) for (const s of stats) console.info(s.events.map((e) => `${rel(e.at)} ${e.type} ${e.reason ?? ''} ${e.message ?? ''}`).join('\n'));
    expectNoFailure(stats, CALLERS);
    // Shared mode costs one request per window; the failover at most one more per instance.
    expect(total).toBeLessThanOrEqual(sharedRequests(ended - started, LIFETIME_MS) + INSTANCES);
    // While the slot has no master, each instance fetches on its own at most once.
    for (const own of fetches) expect(requestsBetween([own], killedAt, failedOverAt)).toBeLessThanOrEqual(1);
    // Shared again once the slot has a master and a token window has passed: one request per
    // refresh, never one per instance.
    const settled = fetches.flat().filter((at) => at > failedOverAt + LIFETIME_MS).sort((a, b) => a - b);
    expect(settled.length).toBeGreaterThan(0);
    const gaps = settled.slice(1).map((at, i) => at - (settled[i] as number));
    expect(Math.min(...gaps, Number.POSITIVE_INFINITY)).toBeGreaterThan(500);

    // The killed node comes back as a replica, so the next test has a full cluster again.
    await cluster.restart(master);
  }, 90_000);
});

describe('a failover shorter than the time a token may still be kept (ioredis)', () => {
  it('costs no token request at all: the refresh waits for the new master instead of asking the provider', async () => {
    // 20 s tokens: core keeps 18 s, refreshes from 14.4 s (a token under 2 minutes serves 80 % of its
    // life first) and, while the store fails, keeps serving until 16.2 s.
    const long = await startSandbox({ tokenTtl: { layer1: 20 } });
    try {
      const { clientId, clientSecret } = long.credentials.layer1;
      const cfg = config('ioredis', { tokenUrl: long.urls.layer1.tokenUrl, clientId, clientSecret });
      fleet = await startFleet(INSTANCES, cfg);
      const before = long.stats.count('layer1.token');
      const started = Date.now();
      const load = startLoad(fleet, CALLERS, 19_000);
      await sleep(1_000);
      const entry = (await keysOf(cfg.prefix)).find((k) => k.endsWith(':token')) as string;
      const master = await cluster.masterOf(entry);
      // Killed 1.5 s before the refresh is due; the slot moves to its replica in about 2.5 s.
      await sleep(started + 12_900 - Date.now());
      await cluster.kill(master);
      await cluster.failedOver(entry, master);
      const stats = await load;

      expectNoFailure(stats, CALLERS);
      // The cold start, then one shared refresh once the store is back: no instance fetched alone.
      expect(long.stats.count('layer1.token') - before).toBe(2);
      expect(stats.flatMap((s) => s.events).filter((e) => e.type === 'token.failed').length).toBeGreaterThanOrEqual(INSTANCES);
      await cluster.restart(master);
    } finally {
      await long.close();
    }
  }, 90_000);
});
