import { ConfigurationError } from '@fintoken/core';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRedisStore } from '../src/index.js';
import { collectEvents, deleteKeys, eventually, rawClient, REDIS_URL, uniquePrefix } from './helpers.js';
import { startPrivateRedis, type PrivateRedis } from './privateRedis.js';
import { startProxy, type TcpProxy } from './proxy.js';

// The lock's lifecycle: a short lease renewed while held, a life capped by what the caller asked
// for, and releases that quit() never drops.
const prefix = uniquePrefix();
let raw: Redis;
let server: PrivateRedis | undefined;
let proxy: TcpProxy | undefined;

beforeAll(() => {
  raw = rawClient();
});

afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
  await server?.kill();
  server = undefined;
});

afterAll(async () => {
  await deleteKeys(raw, prefix);
  raw.disconnect();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the lock lease', () => {
  it('is renewed while held, so a live holder keeps its lock past the lease', async () => {
    const store = createRedisStore({ client: raw, prefix, lockLeaseMs: 300, operationTimeoutMs: 100 });
    const lock = await store.lock('renewed', 10_000);
    expect(await raw.pttl(`${prefix}{renewed}:lock`)).toBeLessThanOrEqual(300);
    await sleep(1_000);
    expect(await raw.exists(`${prefix}{renewed}:lock`)).toBe(1);
    await lock?.release();
    expect(await raw.exists(`${prefix}{renewed}:lock`)).toBe(0);
  });

  it('is never renewed past the life the caller asked for', async () => {
    const store = createRedisStore({ client: raw, prefix, lockLeaseMs: 300, operationTimeoutMs: 100 });
    const lock = await store.lock('capped', 700);
    await eventually(async () => (await raw.exists(`${prefix}{capped}:lock`)) === 0, 3_000, 'the lock to reach its life');
    expect(await store.lock('capped', 700)).toBeDefined();
    await lock?.release();
  });

  it('refuses a lease the watchdog could not renew in time, and a wait shorter than the lock', () => {
    expect(() => createRedisStore({ client: raw, prefix, lockLeaseMs: 200, operationTimeoutMs: 100 })).toThrow(ConfigurationError);
    expect(() => createRedisStore({ client: raw, prefix, lockTtlMs: 10_000, waitTimeoutMs: 5_000 })).toThrow(/waitTimeoutMs: must be at least lockTtlMs/);
  });
});

describe('quit()', () => {
  it('settles a release sent just before it, on a server with no cached scripts (ioredis client)', async () => {
    server = await startPrivateRedis();
    const client = new Redis(server.url);
    client.on('error', () => undefined);
    await client.script('FLUSH');
    const store = createRedisStore({ client, prefix });
    const lock = await store.lock('flushed', 30_000);
    // Fire and forget, as core does, then the documented shutdown.
    void lock?.release();
    await store.quit();
    client.disconnect();
    const check = rawClient(server.url);
    expect(await check.exists(`${prefix}{flushed}:lock`)).toBe(0);
    check.disconnect();
  });

  it('releases the locks it still holds and closes its own connection after (node-redis, url)', async () => {
    server = await startPrivateRedis();
    await withNodeRedis(server.url, (c) => c.sendCommand(['SCRIPT', 'FLUSH']));
    const store = createRedisStore({ url: server.url, prefix });
    expect(await store.lock('held', 30_000)).toBeDefined();
    await store.quit();
    expect(await withNodeRedis(server.url, (c) => c.sendCommand(['EXISTS', `${prefix}{held}:lock`]))).toBe(0);
  });

  it('reports a release that fails as store.error, and still returns', async () => {
    proxy = await startProxy(REDIS_URL);
    const client = new Redis(proxy.url);
    client.on('error', () => undefined);
    const { events, onEvent } = collectEvents();
    const store = createRedisStore({ client, prefix, operationTimeoutMs: 200, onEvent });
    const lock = await store.lock('unreleased', 5_000);
    proxy.pause();
    const release = lock?.release();
    await store.quit();
    await expect(release).rejects.toThrow(/release/);
    expect(events.filter((e) => e.type === 'store.error' && e.reason === 'release')).toHaveLength(1);
    proxy.resume();
    client.disconnect();
  });
});

async function withNodeRedis<T>(url: string, use: (c: ReturnType<typeof createClient>) => Promise<T>): Promise<T> {
  const c = createClient({ url });
  c.on('error', () => undefined);
  await c.connect();
  try {
    return await use(c);
  } finally {
    await c.close();
  }
}
