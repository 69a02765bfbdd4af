import { inspect } from 'node:util';
import { TimeoutError } from '@fintoken/core';
import { startSandbox, type Sandbox } from '@fintoken/sandbox';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRedisStore } from '../src/index.js';
import { collectEvents, deleteKeys, eventually, layer1Client, makeToken, rawClient, REDIS_URL, uniquePrefix } from './helpers.js';
import { startPrivateRedis, type PrivateRedis } from './privateRedis.js';
import { startProxy, type TcpProxy } from './proxy.js';

const OPERATION_TIMEOUT_MS = 300;
// A store outage may cost a get and a lock, each bounded, before the provider is asked.
const DEADLINE_MS = 4 * OPERATION_TIMEOUT_MS + 2_000;

const prefix = uniquePrefix();
let sandbox: Sandbox;
let raw: Redis;
let proxy: TcpProxy;
const opened: Redis[] = [];

function proxiedClient(url: string): Redis {
  const client = new Redis(url);
  client.on('error', () => undefined);
  opened.push(client);
  return client;
}

async function timed<T>(promise: Promise<T>): Promise<{ value?: T; error?: unknown; ms: number }> {
  const started = performance.now();
  try {
    const value = await promise;
    return { value, ms: performance.now() - started };
  } catch (error) {
    return { error, ms: performance.now() - started };
  }
}

beforeAll(async () => {
  sandbox = await startSandbox();
  raw = rawClient();
});

afterEach(async () => {
  for (const c of opened.splice(0)) c.disconnect();
  await proxy?.close();
});

afterAll(async () => {
  await deleteKeys(raw, prefix);
  raw.disconnect();
  await sandbox.close();
});

describe('when Redis stops answering (connection open, no replies)', () => {
  it('bounds every operation by operationTimeoutMs and says nothing about the token', async () => {
    proxy = await startProxy(REDIS_URL);
    const store = createRedisStore({ client: proxiedClient(proxy.url), prefix, operationTimeoutMs: OPERATION_TIMEOUT_MS });
    const token = makeToken(Date.now());
    await store.set('hang', token);
    proxy.pause();

    const results = await Promise.all([
      timed(store.get('hang')),
      timed(store.set('hang', token)),
      timed(store.delete('hang')),
      timed(store.lock('hang', 10_000)),
      timed(store.waitFor('hang', { timeoutMs: 10_000 })),
    ]);
    for (const { error, ms } of results) {
      expect(error).toBeInstanceOf(TimeoutError);
      expect(ms).toBeLessThan(OPERATION_TIMEOUT_MS + 1_500);
      const text = `${(error as Error).message} ${inspect(error)} ${JSON.stringify(error)}`;
      expect(text).not.toContain(token.accessToken);
    }
    // Once Redis answers again (and has run the held commands, DEL included), the store works.
    proxy.resume();
    const after = makeToken(Date.now());
    await store.set('hang', after);
    expect((await store.get('hang'))?.accessToken).toBe(after.accessToken);
  });

  it('gives back a lock that Redis granted after the caller stopped waiting', async () => {
    proxy = await startProxy(REDIS_URL);
    const store = createRedisStore({ client: proxiedClient(proxy.url), prefix, operationTimeoutMs: OPERATION_TIMEOUT_MS });
    proxy.pause();
    await expect(store.lock('late', 30_000)).rejects.toBeInstanceOf(TimeoutError);
    // The held SET NX reaches Redis now, after the caller gave up: the store must delete it.
    proxy.resume();
    await eventually(async () => (await store.get('late')) === undefined, 5_000, 'the proxy to flush');
    await eventually(async () => (await raw.exists(`${prefix}{late}:lock`)) === 0, 5_000, 'the late lock to be released');
    const next = await store.lock('late', 30_000);
    expect(next).toBeDefined();
    await next?.release();
  });

  it('still delivers tokens: from memory when warm, from the provider when cold, with store.error events', async () => {
    proxy = await startProxy(REDIS_URL);
    const store = createRedisStore({ client: proxiedClient(proxy.url), prefix: `${prefix}hang-fleet:`, operationTimeoutMs: OPERATION_TIMEOUT_MS });
    const baseline = sandbox.stats.count('layer1.token');
    const warm = layer1Client(sandbox, { store });
    const first = await warm.getToken();
    expect(sandbox.stats.count('layer1.token')).toBe(baseline + 1);

    proxy.pause();
    const fromMemory = await timed(warm.getToken());
    expect(fromMemory.value?.accessToken).toBe(first.accessToken);
    expect(sandbox.stats.count('layer1.token')).toBe(baseline + 1);

    const { events, onEvent } = collectEvents();
    const cold = layer1Client(sandbox, { store, onEvent });
    const fromProvider = await timed(cold.getToken());
    expect(fromProvider.error).toBeUndefined();
    expect(fromProvider.value?.accessToken).toMatch(/^eyJ/);
    expect(fromProvider.ms).toBeLessThan(DEADLINE_MS);
    expect(sandbox.stats.count('layer1.token')).toBe(baseline + 2);
    const errors = events.filter((e) => e.type === 'store.error');
    expect(errors.length).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(errors)).not.toContain(fromProvider.value?.accessToken as string);
    proxy.resume();
    await deleteKeys(raw, `${prefix}hang-fleet:`);
  });
});

describe('when Redis is gone (connections reset and refused)', () => {
  it('still delivers tokens within the deadline, with store.error events', async () => {
    proxy = await startProxy(REDIS_URL);
    const store = createRedisStore({ client: proxiedClient(proxy.url), prefix: `${prefix}refused:`, operationTimeoutMs: OPERATION_TIMEOUT_MS });
    const warm = layer1Client(sandbox, { store });
    const first = await warm.getToken();
    proxy.refuse();
    expect((await warm.getToken()).accessToken).toBe(first.accessToken);

    const baseline = sandbox.stats.count('layer1.token');
    const { events, onEvent } = collectEvents();
    const cold = layer1Client(sandbox, { store, onEvent });
    const result = await timed(cold.getToken());
    expect(result.error).toBeUndefined();
    expect(result.ms).toBeLessThan(DEADLINE_MS);
    expect(sandbox.stats.count('layer1.token')).toBe(baseline + 1);
    expect(events.some((e) => e.type === 'store.error')).toBe(true);
    await deleteKeys(raw, `${prefix}refused:`);
  });
});

describe('with a private redis-server that is killed', () => {
  let server: PrivateRedis | undefined;
  afterEach(async () => {
    await server?.kill();
  });

  it('falls back to EVAL when the server has no cached script (after a restart or SCRIPT FLUSH)', async () => {
    server = await startPrivateRedis();
    const client = proxiedClient(server.url);
    const store = createRedisStore({ client, prefix });
    await client.script('FLUSH');
    const lock = await store.lock('noscript', 10_000);
    await lock?.release();
    expect(await client.exists(`${prefix}{noscript}:lock`)).toBe(0);
  });

  it('keeps delivering tokens after the server dies', async () => {
    server = await startPrivateRedis();
    const store = createRedisStore({ client: proxiedClient(server.url), prefix, operationTimeoutMs: OPERATION_TIMEOUT_MS });
    const { events, onEvent } = collectEvents();
    const warm = layer1Client(sandbox, { store, onEvent });
    const first = await warm.getToken();
    // Another instance finds the shared token.
    const baseline = sandbox.stats.count('layer1.token');
    const peer = layer1Client(sandbox, { store });
    expect((await peer.getToken()).accessToken).toBe(first.accessToken);
    expect(sandbox.stats.count('layer1.token')).toBe(baseline);

    await server.kill();
    expect((await warm.getToken()).accessToken).toBe(first.accessToken);

    const cold = layer1Client(sandbox, { store, onEvent });
    const result = await timed(cold.getToken());
    expect(result.error).toBeUndefined();
    expect(result.value?.accessToken).not.toBe(first.accessToken);
    expect(result.ms).toBeLessThan(DEADLINE_MS);
    expect(sandbox.stats.count('layer1.token')).toBe(baseline + 1);
    expect(events.filter((e) => e.type === 'store.error').length).toBeGreaterThanOrEqual(1);
  });
});
