import { startSandbox, type Sandbox } from '@fintoken/sandbox';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, expectAllDelivered as expectFleetDelivered, round, startFleet, type Instance, type InstanceConfig, type RoundResult } from './fleet.js';
import { rawClient, uniquePrefix } from './helpers.js';
import { startPrivateRedis, type PrivateRedis } from './privateRedis.js';
import { startProxy, type TcpProxy } from './proxy.js';

// A fleet changing under load, as an operator sees it: a deploy after a Redis restart, a Redis
// restart during traffic, a slow Redis. Each test owns its redis-server (SCRIPT FLUSH and
// restarts must not touch the shared one) and forked instances (test/fixtures).
const INSTANCES = 4;
const CALLERS = 25;
const TOKEN_TTL_S = 3;

interface LoadStats {
  calls: number;
  failed: number;
  expired: number;
  errors: string[];
}

let sandbox: Sandbox;
let server: PrivateRedis | undefined;
let proxy: TcpProxy | undefined;
let fleets: Instance[][] = [];

function config(redisUrl: string, overrides: Partial<InstanceConfig> = {}): InstanceConfig {
  const { clientId, clientSecret } = sandbox.credentials.layer1;
  return { redisUrl, prefix: uniquePrefix(), tokenUrl: sandbox.urls.layer1.tokenUrl, clientId, clientSecret, operationTimeoutMs: 500, ...overrides };
}

async function fleetOf(cfg: InstanceConfig): Promise<Instance[]> {
  const fleet = await startFleet(INSTANCES, cfg);
  fleets.push(fleet);
  return fleet;
}

const tokenRequests = () => sandbox.stats.count('layer1.token');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

const expectAllDelivered = (results: RoundResult[]) => expectFleetDelivered(results, INSTANCES, CALLERS);

beforeAll(async () => {
  assertBuilt();
  sandbox = await startSandbox({ tokenTtl: { layer1: TOKEN_TTL_S } });
});

afterEach(async () => {
  await Promise.all(fleets.flat().map((i) => i.stop()));
  fleets = [];
  await proxy?.close();
  proxy = undefined;
  await server?.kill();
  server = undefined;
  sandbox.faults.clear();
});

afterAll(async () => {
  await sandbox?.close();
});

describe(`a fleet of ${INSTANCES} processes × ${CALLERS} callers through deploys and Redis restarts`, () => {
  it('a deploy on a fresh Redis (no cached scripts): the old fleet exits, the new one makes 1 request and is served at once', async () => {
    server = await startPrivateRedis();
    const raw = rawClient(server.url);
    try {
      // As after a restart, a failover or on a new box: no script is cached.
      await raw.script('FLUSH');
      const cfg = config(server.url);
      const fleetA = await fleetOf(cfg);
      const before = tokenRequests();
      // Fleet A fetches one token, and each process quits its store and exits right after.
      const first = await round(fleetA, 1, CALLERS, 30_000, true);
      expectAllDelivered(first);
      await Promise.all(fleetA.map((i) => i.exit(10_000)));
      expect(tokenRequests() - before).toBe(1);
      // Every release reached Redis before the connections closed.
      expect(await raw.keys(`${cfg.prefix}{*}:lock`)).toEqual([]);

      await sleep(Math.max(...first.map((r) => r.expiresAt)) + 250 - Date.now());
      const fleetB = await fleetOf(cfg);
      const second = await round(fleetB, 2, CALLERS);
      expectAllDelivered(second);
      expect(tokenRequests() - before).toBe(2);
      // No wait on a dead lock.
      for (const r of second) expect(r.durationMs).toBeLessThan(2_000);
    } finally {
      raw.disconnect();
    }
  }, 60_000);

  it('Redis killed and restarted on its port during 20 s of load: no failed call, no expired token, then 1 request per window again', async () => {
    server = await startPrivateRedis();
    const fleet = await fleetOf(config(server.url, { operationTimeoutMs: 300 }));
    const fetches: number[] = [];
    for (const instance of fleet) instance.child.on('message', (m: { type: string; at?: number }) => m.type === 'fetching' && fetches.push(m.at ?? 0));

    const started = Date.now();
    const loads = fleet.map((i) => {
      i.send({ type: 'load', concurrency: CALLERS, durationMs: 20_000 });
      return i.next('loaded', 40_000) as Promise<unknown> as Promise<LoadStats>;
    });
    await sleep(started + 6_000 - Date.now());
    await server.kill();
    await sleep(3_000);
    await server.restart();
    const restartedAt = Date.now();
    const stats = await Promise.all(loads);

    for (const s of stats) {
      expect(s.errors).toEqual([]);
      expect(s.failed).toBe(0);
      expect(s.expired).toBe(0);
      expect(s.calls).toBeGreaterThan(CALLERS);
    }
    // Once the instances have reconnected (ioredis backs off up to 2 s) and one token window has
    // passed, the fleet is back to shared mode: one request at a time, never one per instance.
    const settled = fetches.filter((at) => at > restartedAt + 5_000).sort((a, b) => a - b);
    expect(settled.length).toBeGreaterThan(0);
    const gaps = settled.slice(1).map((at, i) => at - (settled[i] as number));
    expect(Math.min(...gaps, Number.POSITIVE_INFINITY)).toBeGreaterThan(500);
    // Before the kill it was the same: shared mode, one request per refresh.
    const beforeKill = fetches.filter((at) => at < started + 6_000).sort((a, b) => a - b);
    const windowMs = (started + 6_000 - beforeKill[0]!) / Math.max(1, beforeKill.length - 1);
    expect(settled.length).toBeLessThanOrEqual(Math.ceil((started + 20_000 - restartedAt - 5_000) / windowMs) + 1);
  }, 60_000);

  it('Redis answering 200 ms late: still 1 request per window, no caller waits longer than the lock may live', async () => {
    server = await startPrivateRedis();
    proxy = await startProxy(server.url, { delayMs: 200 });
    // timeoutMs 2 s, no retries: a fetch is over by 2 s, so the derived lock lives 4 s.
    const lockTtlMs = 2_000 + 2_000;
    const fleet = await fleetOf(config(proxy.url, { operationTimeoutMs: 1_000, timeoutMs: 2_000 }));
    const before = tokenRequests();

    const first = await round(fleet, 1, CALLERS);
    expectAllDelivered(first);
    expect(tokenRequests() - before).toBe(1);
    for (const r of first) expect(r.durationMs).toBeLessThan(lockTtlMs);

    await sleep(Math.max(...first.map((r) => r.expiresAt)) + 250 - Date.now());
    const second = await round(fleet, 2, CALLERS);
    expectAllDelivered(second);
    expect(tokenRequests() - before).toBe(2);
    for (const r of second) expect(r.durationMs).toBeLessThan(lockTtlMs);
    expect(second.flatMap((r) => r.events).filter((e) => e.type === 'store.error')).toEqual([]);
  }, 60_000);
});
