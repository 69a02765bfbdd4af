import type { Driver, Subscriber } from './driver.js';
import { idempotentSubscriber } from './subscriber.js';

type Listener = (message: string, channel: string) => void;

/** The part of a node-redis v4/v5 client, cluster or sentinel the store uses. */
interface NodeRedis {
  sendCommand(...args: unknown[]): Promise<unknown>;
  subscribe(channel: string, listener: Listener): Promise<unknown>;
  unsubscribe?(channel: string, listener: Listener): Promise<unknown>;
  on(event: string, listener: (...args: never[]) => void): unknown;
  readonly isOpen: boolean;
  duplicate?(): NodeRedis;
  connect?(): Promise<unknown>;
  /** v5 */
  close?(): Promise<unknown>;
  destroy?(): unknown;
  /** v4 (deprecated in v5) */
  quit?(): Promise<unknown>;
  disconnect?(): Promise<unknown>;
}

/**
 * The three shapes of node-redis, told apart by what only each has. Their `sendCommand`s differ:
 * a client takes the arguments, a cluster the key to route by first (`createCluster`, v4 and v5),
 * a sentinel whether the command is read-only first (`createSentinel`, v5).
 */
export type NodeRedisFlavor = 'client' | 'cluster' | 'sentinel';

export function nodeRedisFlavor(client: object): NodeRedisFlavor | undefined {
  const c = client as Record<string, unknown>;
  if (typeof c.isOpen !== 'boolean' || typeof c.sendCommand !== 'function' || typeof c.subscribe !== 'function') return undefined;
  if (typeof c.getMasters === 'function' || typeof c.nodeClient === 'function') return 'cluster';
  if (typeof c.getMasterNode === 'function' && typeof c.acquire === 'function') return 'sentinel';
  if (typeof c.duplicate === 'function' && typeof c.connect === 'function') return 'client';
  return undefined;
}

// Everything goes through sendCommand, whose signature per flavor is the same in v4 and v5 (the
// typed helpers changed their option shapes between versions).
export function nodeRedisDriver(client: object, flavor: NodeRedisFlavor): Driver {
  const c = client as NodeRedis;
  const send = (key: string | undefined, args: string[]): Promise<unknown> => {
    if (flavor === 'cluster') return c.sendCommand(key, false, args);
    if (flavor === 'sentinel') return c.sendCommand(false, args);
    return c.sendCommand(args);
  };
  return {
    get: async (key) => {
      const reply = await send(key, ['GET', key]);
      return typeof reply === 'string' ? reply : reply == null ? null : String(reply);
    },
    set: async (key, value, ttlMs, onlyIfAbsent) => {
      const args = ['SET', key, value, 'PX', String(ttlMs)];
      if (onlyIfAbsent) args.push('NX');
      return (await send(key, args)) === 'OK';
    },
    del: async (key) => {
      await send(key, ['DEL', key]);
    },
    eval: (script, keys, args) => send(keys[0], ['EVAL', script, String(keys.length), ...keys, ...args]),
    // A cluster forwards a classic PUBLISH to every node, so any node will do (no routing key).
    publish: async (channel, message) => {
      await send(undefined, ['PUBLISH', channel, message]);
    },
    subscriber: (onMessage, onError) => (flavor === 'client' ? duplicateSubscriber(c, onMessage, onError) : sharedSubscriber(c, onMessage)),
    close: async () => {
      if (!c.isOpen) return;
      await (typeof c.close === 'function' ? c.close() : c.quit?.());
    },
    destroy: () => destroy(c),
  };
}

/** A client in subscriber mode can run nothing else: subscribe on a `duplicate()` of it. */
function duplicateSubscriber(c: NodeRedis, onMessage: (channel: string, message: string) => void, onError: (error: unknown) => void): Subscriber {
  const sub = (c.duplicate as () => NodeRedis)();
  // An 'error' event without a listener would crash the process.
  sub.on('error', onError);
  let connecting: Promise<unknown> | undefined;
  return idempotentSubscriber(
    async (channel) => {
      connecting ??= (sub.connect as () => Promise<unknown>)().catch((error: unknown) => {
        connecting = undefined;
        throw error;
      });
      await connecting;
      await sub.subscribe(channel, (message, ch) => onMessage(ch, message));
    },
    async () => destroy(sub),
  );
}

/**
 * A cluster or a sentinel already keeps a connection of its own for pub/sub (and moves it when
 * a node fails), so the store subscribes on the caller's object and, on close, removes only its
 * own listener: no extra connections to every node.
 */
function sharedSubscriber(c: NodeRedis, onMessage: (channel: string, message: string) => void): Subscriber {
  const subscribed: Array<[string, Listener]> = [];
  return idempotentSubscriber(
    async (channel) => {
      const listener: Listener = (message, ch) => onMessage(ch, message);
      await c.subscribe(channel, listener);
      subscribed.push([channel, listener]);
    },
    async () => {
      for (const [channel, listener] of subscribed.splice(0)) await c.unsubscribe?.(channel, listener).catch(() => undefined);
    },
  );
}

// Drop a connection at once: v5 `destroy()`, v4 `disconnect()`.
function destroy(c: NodeRedis): void {
  try {
    if (!c.isOpen) return;
    if (typeof c.destroy === 'function') {
      const done = c.destroy() as Promise<unknown> | undefined;
      done?.catch?.(() => undefined);
    } else c.disconnect?.().catch(() => undefined);
  } catch {
    // Already closed.
  }
}
