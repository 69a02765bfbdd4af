import { ConfigurationError } from '@fintoken/core';
import type { Driver } from './driver.js';
import { ioredisDriver } from './ioredisDriver.js';
import { nodeRedisDriver } from './nodeRedisDriver.js';

/**
 * A connection the store opens itself from `url` (and closes in `quit()`): ioredis when it is
 * installed, else node-redis. Both are optional peers, so they are imported only here, lazily.
 */
export function driverForUrl(url: string, onError: (error: unknown) => void, load: Loaders = loaders): Driver {
  const ready = open(url, onError, load);
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

type Connection = object & { on(event: 'error', listener: (error: unknown) => void): unknown };
interface IoredisModule {
  Redis?: new (url: string) => Connection;
  default?: new (url: string) => Connection;
}
interface NodeRedisModule {
  createClient(options: { url: string }): Connection & { connect(): Promise<unknown> };
}

const loaders: Loaders = { ioredis: () => import('ioredis'), redis: () => import('redis') };

async function open(url: string, onError: (error: unknown) => void, load: Loaders): Promise<Driver> {
  const ioredis = (await optionalImport(load.ioredis)) as IoredisModule | undefined;
  const Redis = ioredis?.Redis ?? ioredis?.default;
  if (Redis !== undefined) {
    const client = new Redis(url);
    client.on('error', onError);
    return ioredisDriver(client);
  }
  const redis = (await optionalImport(load.redis)) as NodeRedisModule | undefined;
  if (redis !== undefined) {
    const client = redis.createClient({ url });
    // An 'error' event without a listener would crash the process.
    client.on('error', onError);
    client.connect().catch(onError);
    return nodeRedisDriver(client);
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
