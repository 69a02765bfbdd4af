import type { Driver } from './driver.js';
import { idempotentSubscriber } from './subscriber.js';

type Args = Array<string | number>;

/** The part of ioredis' `Redis`/`Cluster` the store uses. */
interface Ioredis {
  get(key: string): Promise<string | null>;
  set(key: string, ...args: Args): Promise<string | null>;
  del(key: string): Promise<number>;
  eval(script: string, numKeys: number, ...args: Args): Promise<unknown>;
  publish(channel: string, message: string): Promise<number>;
  subscribe(channel: string): Promise<unknown>;
  duplicate(): Ioredis;
  on(event: string, listener: (...args: never[]) => void): unknown;
  quit(): Promise<unknown>;
  disconnect(): void;
  readonly status: string;
}

export function isIoredis(client: object): boolean {
  const c = client as Partial<Record<keyof Ioredis, unknown>>;
  return typeof c.status === 'string' && ['get', 'set', 'eval', 'publish', 'duplicate', 'disconnect'].every((m) => typeof c[m as keyof Ioredis] === 'function');
}

export function ioredisDriver(client: object): Driver {
  const c = client as Ioredis;
  return {
    get: (key) => c.get(key),
    set: async (key, value, ttlMs, onlyIfAbsent) => {
      const reply = onlyIfAbsent ? await c.set(key, value, 'PX', ttlMs, 'NX') : await c.set(key, value, 'PX', ttlMs);
      return reply === 'OK';
    },
    del: async (key) => {
      await c.del(key);
    },
    eval: (script, keys, args) => c.eval(script, keys.length, ...keys, ...args),
    publish: async (channel, message) => {
      await c.publish(channel, message);
    },
    subscriber(onMessage, onError) {
      const sub = c.duplicate();
      sub.on('error', onError);
      sub.on('message', onMessage as (...args: never[]) => void);
      return idempotentSubscriber((channel) => sub.subscribe(channel), async () => sub.disconnect());
    },
    close: async () => {
      await c.quit();
    },
    destroy: () => c.disconnect(),
  };
}
