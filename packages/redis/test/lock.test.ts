import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisStore } from '../src/index.js';
import { deleteKeys, eventually, rawClient, uniquePrefix } from './helpers.js';

const prefix = uniquePrefix();
let a: Redis;
let b: Redis;
let raw: Redis;

beforeAll(() => {
  a = rawClient();
  b = rawClient();
  raw = rawClient();
});

afterAll(async () => {
  await deleteKeys(raw, prefix);
  for (const c of [a, b, raw]) c.disconnect();
});

describe('lock()', () => {
  it('is exclusive: one of 40 concurrent callers on two connections gets it', async () => {
    const storeA = createRedisStore({ client: a, prefix });
    const storeB = createRedisStore({ client: b, prefix });
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? storeA : storeB).lock('exclusive', 10_000)));
    const held = results.filter((l) => l !== undefined);
    expect(held).toHaveLength(1);
    await held[0]?.release();
    expect(await raw.exists(`${prefix}{exclusive}:lock`)).toBe(0);
    // Free again: the next caller gets it.
    const again = await storeB.lock('exclusive', 10_000);
    expect(again).toBeDefined();
    await again?.release();
  });

  it('holds the lock under `${prefix}{${key}}:lock` with the TTL asked for', async () => {
    const store = createRedisStore({ client: a, prefix });
    const lock = await store.lock('ttl', 7_000);
    const pttl = await raw.pttl(`${prefix}{ttl}:lock`);
    expect(pttl).toBeLessThanOrEqual(7_000);
    expect(pttl).toBeGreaterThan(0);
    await lock?.release();
  });

  it('uses its own lockTtlMs over the caller’s when configured', async () => {
    const store = createRedisStore({ client: a, prefix, lockTtlMs: 2_500 });
    const lock = await store.lock('override', 30_000);
    const pttl = await raw.pttl(`${prefix}{override}:lock`);
    expect(pttl).toBeLessThanOrEqual(2_500);
    expect(pttl).toBeGreaterThan(0);
    await lock?.release();
  });

  it('lapses after its TTL, so a crashed holder does not block the fleet', async () => {
    const store = createRedisStore({ client: a, prefix });
    expect(await store.lock('lapse', 150)).toBeDefined();
    expect(await store.lock('lapse', 150)).toBeUndefined();
    await eventually(async () => (await raw.exists(`${prefix}{lapse}:lock`)) === 0, 5_000, 'the lock to expire');
    const next = await store.lock('lapse', 10_000);
    expect(next).toBeDefined();
    await next?.release();
  });

  it('compare-and-delete: a holder whose lock lapsed does not release the new holder’s lock', async () => {
    const storeA = createRedisStore({ client: a, prefix });
    const storeB = createRedisStore({ client: b, prefix });
    const stale = await storeA.lock('cad', 150);
    expect(stale).toBeDefined();
    await eventually(async () => (await raw.exists(`${prefix}{cad}:lock`)) === 0, 5_000, 'the lock to expire');

    const fresh = await storeB.lock('cad', 10_000);
    expect(fresh).toBeDefined();
    const owner = await raw.get(`${prefix}{cad}:lock`);

    await stale?.release();
    expect(await raw.get(`${prefix}{cad}:lock`)).toBe(owner);
    expect(await storeA.lock('cad', 10_000)).toBeUndefined();

    await fresh?.release();
    expect(await raw.exists(`${prefix}{cad}:lock`)).toBe(0);
  });

  it('release() is idempotent', async () => {
    const store = createRedisStore({ client: a, prefix });
    const lock = await store.lock('twice', 10_000);
    await lock?.release();
    const other = await store.lock('twice', 10_000);
    await lock?.release();
    expect(await raw.exists(`${prefix}{twice}:lock`)).toBe(1);
    await other?.release();
  });

  it('stores a random owner value, never anything about the token', async () => {
    const store = createRedisStore({ client: a, prefix });
    const one = await store.lock('owner-1', 10_000);
    const two = await store.lock('owner-2', 10_000);
    const [v1, v2] = await Promise.all([raw.get(`${prefix}{owner-1}:lock`), raw.get(`${prefix}{owner-2}:lock`)]);
    expect(v1).toMatch(/^[\w-]{22}$/);
    expect(v1).not.toBe(v2);
    await Promise.all([one?.release(), two?.release()]);
  });
});
