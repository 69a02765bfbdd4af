import { inspect } from 'node:util';
import { ConfigurationError, NetworkError } from '@fintoken/core';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisStore } from '../src/index.js';
import { collectEvents, deleteKeys, makeToken, rawClient, REDIS_URL, uniquePrefix } from './helpers.js';

const prefix = uniquePrefix();
let redis: Redis;
let raw: Redis;

beforeAll(() => {
  redis = rawClient();
  raw = rawClient();
});

afterAll(async () => {
  await deleteKeys(raw, prefix);
  redis.disconnect();
  raw.disconnect();
});

describe('get, set, delete', () => {
  it('round-trips a token under `${prefix}{${key}}:token` and deletes it', async () => {
    const store = createRedisStore({ client: redis, prefix });
    const token = makeToken(Date.now(), 60_000, { scope: ['tenants:view', 'transactions:edit'], businessId: 'b-1' });
    await store.set('layer1|sandbox|client-a', token);

    const got = await store.get('layer1|sandbox|client-a');
    expect(got).toEqual({ ...token });
    expect(await raw.exists(`${prefix}{layer1|sandbox|client-a}:token`)).toBe(1);
    expect(JSON.parse((await raw.get(`${prefix}{layer1|sandbox|client-a}:token`)) as string)).toEqual({ ...token });

    await store.delete('layer1|sandbox|client-a');
    expect(await store.get('layer1|sandbox|client-a')).toBeUndefined();
    expect(await raw.exists(`${prefix}{layer1|sandbox|client-a}:token`)).toBe(0);
  });

  it('returns a token that stays redacted in logs', async () => {
    const store = createRedisStore({ client: redis, prefix });
    const token = makeToken(Date.now());
    await store.set('redacted', token);
    const got = await store.get('redacted');
    expect(got?.accessToken).toBe(token.accessToken);
    expect(inspect(got)).not.toContain(token.accessToken);
    expect(JSON.stringify(got)).not.toContain(token.accessToken);
  });

  it('stores an entry with PX = expiresAt - now, so Redis drops it with its token', async () => {
    const now = Date.now();
    const store = createRedisStore({ client: redis, prefix, now: () => now });
    await store.set('px', makeToken(now, 45_000));
    const pttl = await raw.pttl(`${prefix}{px}:token`);
    expect(pttl).toBeLessThanOrEqual(45_000);
    // Whatever time passed between SET and PTTL; a shared machine may be slow, never that slow.
    expect(pttl).toBeGreaterThan(35_000);
  });

  it('does not store a token that has already expired', async () => {
    const now = Date.now();
    const store = createRedisStore({ client: redis, prefix, now: () => now });
    await store.set('expired', makeToken(now - 10_000, 5_000));
    expect(await raw.exists(`${prefix}{expired}:token`)).toBe(0);
  });

  it('treats an entry expired on the reader clock as a miss before Redis drops it', async () => {
    const t = Date.now();
    const writer = createRedisStore({ client: redis, prefix, now: () => t });
    const reader = createRedisStore({ client: redis, prefix, now: () => t + 61_000 });
    await writer.set('skew', makeToken(t, 60_000));
    expect(await writer.get('skew')).toBeDefined();
    expect(await reader.get('skew')).toBeUndefined();
  });

  it('keeps prefixes apart', async () => {
    const other = uniquePrefix();
    const a = createRedisStore({ client: redis, prefix });
    const b = createRedisStore({ client: redis, prefix: other });
    await a.set('shared-key', makeToken(Date.now()));
    expect(await b.get('shared-key')).toBeUndefined();
    expect(await raw.exists(`${other}{shared-key}:token`)).toBe(0);
    await deleteKeys(raw, other);
  });

  it('uses the fintoken: prefix by default', async () => {
    const store = createRedisStore({ client: redis });
    expect(store.prefix).toBe('fintoken:');
    const key = `${prefix}default-prefix`;
    await store.set(key, makeToken(Date.now(), 5_000));
    expect(await raw.exists(`fintoken:{${key}}:token`)).toBe(1);
    await store.delete(key);
  });
});

describe('corrupt entries', () => {
  const secretLooking = 'eyJhbGciOiJIUzI1NiJ9.c2VjcmV0LXBheWxvYWQ.c2lnbmF0dXJlLXZhbHVl';
  const corrupt: Array<[string, string]> = [
    ['not JSON', `{${secretLooking}`],
    ['JSON of the wrong shape', JSON.stringify({ accessToken: secretLooking, tokenType: 'Bearer', expiresAt: 'tomorrow' })],
    ['an empty access token', JSON.stringify({ accessToken: '', tokenType: 'Bearer', expiresAt: Date.now() + 60_000 })],
    ['a scope that is not a list', JSON.stringify({ accessToken: secretLooking, tokenType: 'Bearer', expiresAt: Date.now() + 60_000, scope: 'a b' })],
    ['JSON null', 'null'],
    ['an encrypted-looking value without a key', `v1.${secretLooking}`],
  ];

  it.each(corrupt)('treats %s as a miss with a store.error event that quotes nothing', async (_name, value) => {
    const { events, onEvent } = collectEvents();
    const store = createRedisStore({ client: redis, prefix, onEvent });
    await raw.set(`${prefix}{corrupt}:token`, value, 'PX', 60_000);
    await expect(store.get('corrupt')).resolves.toBeUndefined();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'store.error', key: 'corrupt' });
    expect(JSON.stringify(events)).not.toContain(secretLooking);
    expect(inspect(events, { depth: 5 })).not.toContain(secretLooking);
  });
});

describe('options, inspect and JSON', () => {
  it('shows only the prefix and whether encryption is on', () => {
    const store = createRedisStore({ client: redis, prefix, encryptionKey: Buffer.alloc(32, 7) });
    expect(JSON.parse(JSON.stringify(store))).toEqual({ prefix, encryption: 'on' });
    expect(inspect(store)).toBe(`RedisStore ${JSON.stringify({ prefix, encryption: 'on' })}`);
    expect(String(store)).toBe('[RedisStore]');
    expect(inspect(createRedisStore({ client: redis, prefix }))).toContain('"encryption":"off"');
  });

  it('does not reveal a password in its url', async () => {
    const url = new URL(REDIS_URL);
    url.username = 'fleet';
    url.password = 'hunter2-correct-horse';
    const store = createRedisStore({ url: url.toString(), prefix });
    expect(inspect(store)).not.toContain('hunter2');
    expect(JSON.stringify(store)).not.toContain('hunter2');
    await store.quit();
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['no connection', {}, 'client: is required'],
    ['both client and url', { client: {} as never, url: REDIS_URL }, 'not both'],
    ['something that is not a Redis client', { client: { get() {} } }, 'client: must be an ioredis client or a node-redis'],
    ['a url that is not redis://', { url: 'http://user:s3cret-pass@127.0.0.1:6379' }, 'url: must be a redis:// or rediss:// URL'],
    ['a negative timeout', { url: REDIS_URL, operationTimeoutMs: -1 }, 'operationTimeoutMs: must be a positive number'],
    ['a zero lock TTL', { url: REDIS_URL, lockTtlMs: 0 }, 'lockTtlMs: must be a positive number'],
    ['a misspelt option', { url: REDIS_URL, encryption_key: 's3cret-pass' }, 'encryption_key: is not an option'],
    ['a prefix that is not a string', { url: REDIS_URL, prefix: 42 }, 'prefix: must be a string'],
  ])('rejects %s with a ConfigurationError naming the field, never the value', (_name, options, message) => {
    let error: unknown;
    try {
      createRedisStore(options as never);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).code).toBe('ERR_CONFIGURATION');
    expect((error as Error).message).toContain(message);
    expect((error as Error).message).not.toContain('s3cret');
  });
});

describe('connections', () => {
  it('opens its own connection from url and closes it in quit()', async () => {
    const store = createRedisStore({ url: REDIS_URL, prefix });
    const token = makeToken(Date.now());
    await store.set('owned', token);
    expect((await store.get('owned'))?.accessToken).toBe(token.accessToken);
    await store.quit();
    await expect(store.get('owned')).rejects.toBeInstanceOf(NetworkError);
  });

  it('never closes a client it was given', async () => {
    const client = rawClient();
    const store = createRedisStore({ client, prefix });
    await store.waitFor('nothing', { timeoutMs: 20 });
    await store.quit();
    expect(await client.ping()).toBe('PONG');
    client.disconnect();
  });
});
