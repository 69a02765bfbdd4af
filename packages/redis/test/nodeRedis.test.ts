import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisStore } from '../src/index.js';
import { deleteKeys, eventually, makeToken, rawClient, REDIS_URL, uniquePrefix } from './helpers.js';

const prefix = uniquePrefix();
type NodeRedisClient = ReturnType<typeof createClient>;
let nodeClient: NodeRedisClient;
let otherNodeClient: NodeRedisClient;
let ioClient: Redis;

beforeAll(async () => {
  nodeClient = createClient({ url: REDIS_URL });
  otherNodeClient = createClient({ url: REDIS_URL });
  for (const c of [nodeClient, otherNodeClient]) c.on('error', () => undefined);
  await Promise.all([nodeClient.connect(), otherNodeClient.connect()]);
  ioClient = rawClient();
});

afterAll(async () => {
  await deleteKeys(ioClient, prefix);
  ioClient.disconnect();
  nodeClient.destroy();
  otherNodeClient.destroy();
});

describe('with a node-redis v5 client (detected automatically)', () => {
  it('round-trips, prefixes and expires entries', async () => {
    const now = Date.now();
    const store = createRedisStore({ client: nodeClient, prefix, now: () => now });
    const token = makeToken(now, 30_000, { scope: ['a', 'b'] });
    await store.set('node', token);
    expect(await store.get('node')).toEqual({ ...token });
    const pttl = await ioClient.pttl(`${prefix}{node}:token`);
    expect(pttl).toBeLessThanOrEqual(30_000);
    expect(pttl).toBeGreaterThan(20_000);
    await store.delete('node');
    expect(await store.get('node')).toBeUndefined();
  });

  it('reads what an ioredis store wrote, encrypted, and the other way round', async () => {
    const encryptionKey = randomBytes(32);
    const viaNode = createRedisStore({ client: nodeClient, prefix, encryptionKey });
    const viaIo = createRedisStore({ client: ioClient, prefix, encryptionKey });
    const one = makeToken(Date.now());
    const two = makeToken(Date.now());
    await viaIo.set('interop-1', one);
    await viaNode.set('interop-2', two);
    expect((await viaNode.get('interop-1'))?.accessToken).toBe(one.accessToken);
    expect((await viaIo.get('interop-2'))?.accessToken).toBe(two.accessToken);
  });

  it('locks exclusively and releases with compare-and-delete', async () => {
    const a = createRedisStore({ client: nodeClient, prefix });
    const b = createRedisStore({ client: otherNodeClient, prefix });
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).lock('node-lock', 150)));
    const held = results.filter((l) => l !== undefined);
    expect(held).toHaveLength(1);
    await eventually(async () => (await ioClient.exists(`${prefix}{node-lock}:lock`)) === 0, 5_000, 'the lock to expire');
    const fresh = await b.lock('node-lock', 10_000);
    expect(fresh).toBeDefined();
    await held[0]?.release();
    expect(await ioClient.exists(`${prefix}{node-lock}:lock`)).toBe(1);
    await fresh?.release();
    expect(await ioClient.exists(`${prefix}{node-lock}:lock`)).toBe(0);
  });

  it('waits through pub/sub for a token stored by an ioredis store', async () => {
    const waiter = createRedisStore({ client: nodeClient, prefix });
    const writer = createRedisStore({ client: ioClient, prefix });
    const token = makeToken(Date.now());
    const waiting = waiter.waitFor('node-wait', { timeoutMs: 5_000 });
    setTimeout(() => void writer.set('node-wait', token), 100);
    expect((await waiting)?.accessToken).toBe(token.accessToken);
    const [, subscribers] = (await ioClient.pubsub('NUMSUB', `${prefix}updates`)) as [string, number];
    expect(subscribers).toBe(1);
    expect(await waiter.waitFor('node-timeout', { timeoutMs: 150 })).toBeUndefined();
    await waiter.quit();
    // The caller's client stays open; the store's subscriber is gone.
    expect(nodeClient.isOpen).toBe(true);
    expect(await nodeClient.ping()).toBe('PONG');
    await eventually(async () => ((await ioClient.pubsub('NUMSUB', `${prefix}updates`)) as [string, number])[1] === 0, 5_000, 'the subscriber to close');
  });
});
