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
  const rediscover = flavor === 'cluster' ? topologyNudger(c) : undefined;
  const send = (key: string | undefined, args: string[]): Promise<unknown> => {
    if (flavor === 'sentinel') return c.sendCommand(false, args);
    if (flavor !== 'cluster') return c.sendCommand(args);
    const reply = c.sendCommand(key, false, args);
    if (key !== undefined) rediscover?.(reply, key);
    return reply;
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

/** A cluster command that has not answered after this long may be queued for a dead master. */
const STALL_MS = 250;
/** At most one nudge at a time, and this long apart. */
const NUDGE_EVERY_MS = 100;

/**
 * node-redis (5.x) reads a cluster's topology again only when a node answers MOVED or ASK
 * (node-redis#2806): once a master dies, commands for its slots keep going to it even after a
 * replica took over, and the fleet would never share tokens again. So when a keyed command fails,
 * or has not answered within `STALL_MS`, send one read of the same key without a routing key
 * (node-redis then takes the next node in turn): a live node that does not serve the slot answers
 * MOVED, and the cluster client rediscovers its slots. The reply itself is not used.
 */
function topologyNudger(c: NodeRedis): (reply: Promise<unknown>, key: string) => void {
  let busy = false;
  let last = 0;
  const nudge = (key: string) => {
    const now = Date.now();
    if (busy || now - last < NUDGE_EVERY_MS) return;
    busy = true;
    last = now;
    const done = () => {
      busy = false;
    };
    const timer = setTimeout(done, 1_000);
    timer.unref?.();
    c.sendCommand(undefined, true, ['GET', key]).then(done, done).finally(() => clearTimeout(timer));
  };
  return (reply, key) => {
    const timer = setTimeout(() => nudge(key), STALL_MS);
    timer.unref?.();
    reply.then(
      () => clearTimeout(timer),
      () => {
        clearTimeout(timer);
        nudge(key);
      },
    );
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
