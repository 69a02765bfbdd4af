import { AbortError, type Token } from '@fintoken/core';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { driverFor } from '../src/detect.js';
import { createRedisStore } from '../src/index.js';
import { createWaitHub } from '../src/waiter.js';
import { deleteKeys, makeToken, rawClient, uniquePrefix } from './helpers.js';

const prefix = uniquePrefix();
let waiterClient: Redis;
let writerClient: Redis;
let raw: Redis;

beforeAll(() => {
  waiterClient = rawClient();
  writerClient = rawClient();
  raw = rawClient();
});

afterAll(async () => {
  await deleteKeys(raw, prefix);
  for (const c of [waiterClient, writerClient, raw]) c.disconnect();
});

const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

describe('waitFor()', () => {
  it('resolves with the token another connection stores', async () => {
    const waiter = createRedisStore({ client: waiterClient, prefix });
    const writer = createRedisStore({ client: writerClient, prefix });
    const token = makeToken(Date.now());
    const waiting = waiter.waitFor('from-other', { timeoutMs: 5_000 });
    setTimeout(() => void writer.set('from-other', token), 50);
    expect((await waiting)?.accessToken).toBe(token.accessToken);
    await waiter.quit();
  });

  it('resolves at once when a token other than `previous` is already stored', async () => {
    const store = createRedisStore({ client: waiterClient, prefix });
    const token = makeToken(Date.now());
    await store.set('already', token);
    expect((await store.waitFor('already', { previous: 'an-older-token', timeoutMs: 5_000 }))?.accessToken).toBe(token.accessToken);
    await store.quit();
  });

  it('ignores the `previous` token and resolves with the next one', async () => {
    const waiter = createRedisStore({ client: waiterClient, prefix });
    const writer = createRedisStore({ client: writerClient, prefix });
    const old = makeToken(Date.now());
    const next = makeToken(Date.now());
    await writer.set('rotate', old);
    const waiting = waiter.waitFor('rotate', { previous: old.accessToken, timeoutMs: 5_000 });
    // The old token is re-announced first: still not the answer.
    setTimeout(() => void writer.set('rotate', old).then(() => writer.set('rotate', next)), 50);
    expect((await waiting)?.accessToken).toBe(next.accessToken);
    expect(await waiter.waitFor('rotate', { previous: next.accessToken, timeoutMs: 100 })).toBeUndefined();
    await waiter.quit();
  });

  it('resolves undefined after timeoutMs when nothing is stored', async () => {
    const store = createRedisStore({ client: waiterClient, prefix });
    const started = performance.now();
    expect(await store.waitFor('never', { timeoutMs: 300 })).toBeUndefined();
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(295);
    expect(elapsed).toBeLessThan(3_000);
    await store.quit();
  });

  it('caps a wait at its own waitTimeoutMs when configured', async () => {
    const store = createRedisStore({ client: waiterClient, prefix, waitTimeoutMs: 100 });
    const started = performance.now();
    expect(await store.waitFor('capped', { timeoutMs: 60_000 })).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(3_000);
    await store.quit();
  });

  it('shares one subscriber connection among all waits of a store, and quit() closes it', async () => {
    const store = createRedisStore({ client: waiterClient, prefix });
    const channel = `${prefix}updates`;
    const waits = Array.from({ length: 10 }, (_, i) => store.waitFor(`many-${i}`, { timeoutMs: 2_000 }));
    await new Promise((r) => setTimeout(r, 200));
    const [, subscribers] = (await raw.pubsub('NUMSUB', channel)) as [string, number];
    expect(subscribers).toBe(1);
    // quit() ends the pending waits rather than leaving them to time out.
    await store.quit();
    expect(await Promise.all(waits)).toEqual(Array.from({ length: 10 }, () => undefined));
    for (let i = 0; i < 50; i += 1) {
      const [, left] = (await raw.pubsub('NUMSUB', channel)) as [string, number];
      if (left === 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(((await raw.pubsub('NUMSUB', channel)) as [string, number])[1]).toBe(0);
  });

  it('rejects with AbortError when its signal fires', async () => {
    const store = createRedisStore({ client: waiterClient, prefix });
    const controller = new AbortController();
    const waiting = store.waitFor('aborted', { timeoutMs: 5_000, signal: controller.signal });
    setTimeout(() => controller.abort(), 30);
    await expect(waiting).rejects.toBeInstanceOf(AbortError);
    await store.quit();
  });

  it('leaves no timer or listener behind, however a wait ends', async () => {
    const store = createRedisStore({ client: waiterClient, prefix });
    const writer = createRedisStore({ client: writerClient, prefix });
    await store.waitFor('warm-up', { timeoutMs: 10 });
    const before = timers();
    const controller = new AbortController();
    const waits: Array<Promise<Token | undefined>> = [];
    for (let i = 0; i < 20; i += 1) waits.push(store.waitFor(`leak-${i % 4}`, { timeoutMs: 400 }));
    waits.push(store.waitFor('leak-abort', { timeoutMs: 5_000, signal: controller.signal }).catch(() => undefined));
    await writer.set('leak-0', makeToken(Date.now()));
    controller.abort();
    await Promise.all(waits);
    expect(timers()).toBeLessThanOrEqual(before);
    await store.quit();
  });
});

describe('the wait hub', () => {
  it('is woken by the published key, without waiting for a poll', async () => {
    const reader = createRedisStore({ client: waiterClient, prefix });
    const writer = createRedisStore({ client: writerClient, prefix });
    const driver = driverFor(waiterClient);
    if (driver === undefined) throw new Error('ioredis not detected');
    const hub = createWaitHub({
      channel: `${prefix}updates`,
      read: (key) => reader.get(key),
      openSubscriber: (onMessage) => driver.subscriber(onMessage, () => undefined),
      operationTimeoutMs: 2_000,
      // Polls so slow that only the message can resolve the wait in time.
      pollFirstMs: 60_000,
      pollMaxMs: 60_000,
    });
    const token = makeToken(Date.now());
    const waiting = hub.waitFor('pubsub', { timeoutMs: 10_000 });
    await new Promise((r) => setTimeout(r, 100));
    await writer.set('pubsub', token);
    expect((await waiting)?.accessToken).toBe(token.accessToken);
    expect(hub.pending).toBe(0);
    await hub.close();
  });

  it('finds a token by polling when no message comes', async () => {
    const reader = createRedisStore({ client: waiterClient, prefix });
    const hub = createWaitHub({
      channel: `${prefix}updates`,
      read: (key) => reader.get(key),
      // A subscriber that never manages to subscribe.
      openSubscriber: () => ({ subscribe: () => new Promise<void>(() => undefined), close: async () => undefined }),
      operationTimeoutMs: 200,
      pollFirstMs: 20,
      pollMaxMs: 50,
    });
    const token = makeToken(Date.now());
    const waiting = hub.waitFor('polled', { timeoutMs: 10_000 });
    await new Promise((r) => setTimeout(r, 100));
    // Written without PUBLISH: only polling can see it.
    await raw.set(`${prefix}{polled}:token`, JSON.stringify({ ...token }), 'PX', 60_000);
    expect((await waiting)?.accessToken).toBe(token.accessToken);
    expect(hub.pending).toBe(0);
    await hub.close();
  });

  it('gives up with the read error when Redis fails, so the caller can degrade', async () => {
    const hub = createWaitHub({
      channel: `${prefix}updates`,
      read: () => Promise.reject(new Error('down')),
      openSubscriber: () => ({ subscribe: async () => undefined, close: async () => undefined }),
      operationTimeoutMs: 200,
    });
    await expect(hub.waitFor('failing', { timeoutMs: 10_000 })).rejects.toThrow('down');
    expect(hub.pending).toBe(0);
  });
});
