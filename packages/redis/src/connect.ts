import type { ConnectionOptions } from 'node:tls';
import { ConfigurationError } from '@fintoken/core';
import type { Driver } from './driver.js';
import { ioredisDriver } from './ioredisDriver.js';
import { nodeRedisDriver } from './nodeRedisDriver.js';

/** Told about the connection's life: its errors (every reconnect attempt) and each time it is ready. */
export interface ConnectionEvents {
  error: (error: unknown) => void;
  ready?: () => void;
}

/**
 * A connection the store opens itself from `url` (and closes in `quit()`): ioredis when it is
 * installed, else node-redis. Both are optional peers, so they are imported only here, lazily.
 * `tls` (for `rediss://`) is handed to the library as it is: `tls` for ioredis, `socket` for
 * node-redis.
 */
export function driverForUrl(url: string, events: ConnectionEvents | ((error: unknown) => void), load: Loaders = loaders, tls?: ConnectionOptions): Driver {
  const on: ConnectionEvents = typeof events === 'function' ? { error: events } : events;
  const ready = open(url, on, load, tls);
  ready.catch(() => undefined);
  return {
    get: (key) => ready.then((d) => d.get(key)),
    set: (key, value, ttlMs, onlyIfAbsent) => ready.then((d) => d.set(key, value, ttlMs, onlyIfAbsent)),
    del: (key) => ready.then((d) => d.del(key)),
    eval: (script, keys, args) => ready.then((d) => d.eval(script, keys, args)),
    publish: (channel, message) => ready.then((d) => d.publish(channel, message)),
    subscriber(onMessage, onSubscriberError) {
      const sub = ready.then((d) => d.subscriber(onMessage, onSubscriberError));
      sub.catch(() => undefined);
      return {
        subscribe: (channel) => sub.then((s) => s.subscribe(channel)),
        close: () => sub.then((s) => s.close(), () => undefined),
      };
    },
    close: () => ready.then((d) => d.close()),
    destroy: () => {
      ready.then((d) => d.destroy(), () => undefined);
    },
  };
}

/** How the optional peers are loaded (replaceable in tests, to play "not installed"). */
export interface Loaders {
  ioredis: () => Promise<unknown>;
  redis: () => Promise<unknown>;
}

type Connection = object & { on(event: 'error' | 'ready', listener: (error: unknown) => void): unknown };
interface IoredisModule {
  Redis?: new (url: string, options?: object) => Connection;
  default?: new (url: string, options?: object) => Connection;
}
interface NodeRedisModule {
  createClient(options: { url: string; socket?: object }): Connection & { connect(): Promise<unknown> };
}

const loaders: Loaders = { ioredis: () => import('ioredis'), redis: () => import('redis') };

async function open(url: string, on: ConnectionEvents, load: Loaders, tls: ConnectionOptions | undefined): Promise<Driver> {
  const ioredis = (await optionalImport(load.ioredis)) as IoredisModule | undefined;
  const Redis = ioredis?.Redis ?? ioredis?.default;
  if (Redis !== undefined) {
    const client = new Redis(url, tls === undefined ? {} : { tls });
    client.on('error', on.error);
    if (on.ready !== undefined) client.on('ready', on.ready);
    return ioredisDriver(client);
  }
  const redis = (await optionalImport(load.redis)) as NodeRedisModule | undefined;
  if (redis !== undefined) {
    const client = redis.createClient(tls === undefined ? { url } : { url, socket: { tls: true, ...tls } });
    // An 'error' event without a listener would crash the process.
    client.on('error', on.error);
    if (on.ready !== undefined) client.on('ready', on.ready);
    client.connect().catch(on.error);
    return nodeRedisDriver(client, 'client');
  }
  throw new ConfigurationError('createRedisStore: `url` needs the ioredis or the redis package installed (or pass `client`)');
}

async function optionalImport<T>(load: () => Promise<T>): Promise<T | undefined> {
  try {
    return await load();
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') return undefined;
    throw error;
  }
}
