import type { Driver } from './driver.js';
import { idempotentSubscriber } from './subscriber.js';

/** The part of a node-redis v4/v5 client the store uses. */
interface NodeRedis {
  sendCommand(args: string[]): Promise<unknown>;
  duplicate(): NodeRedis;
  connect(): Promise<unknown>;
  subscribe(channel: string, listener: (message: string, channel: string) => void): Promise<unknown>;
  on(event: string, listener: (...args: never[]) => void): unknown;
  readonly isOpen: boolean;
  /** v5 */
  close?(): Promise<unknown>;
  destroy?(): void;
  /** v4 (deprecated in v5) */
  quit?(): Promise<unknown>;
  disconnect?(): Promise<unknown>;
}

export function isNodeRedis(client: object): boolean {
  const c = client as Partial<Record<keyof NodeRedis, unknown>> & Record<string, unknown>;
  // A cluster client's sendCommand takes a routing key first: not supported.
  if ('masters' in c || typeof c.getMasters === 'function') return false;
  return typeof c.isOpen === 'boolean' && ['sendCommand', 'duplicate', 'connect', 'subscribe'].every((m) => typeof c[m] === 'function');
}

// Everything goes through sendCommand, whose signature is the same in v4 and v5 (the typed
// helpers changed their option shapes between versions).
export function nodeRedisDriver(client: object): Driver {
  const c = client as NodeRedis;
  const send = (args: string[]) => c.sendCommand(args);
  return {
    get: async (key) => {
      const reply = await send(['GET', key]);
      return typeof reply === 'string' ? reply : reply == null ? null : String(reply);
    },
    set: async (key, value, ttlMs, onlyIfAbsent) => {
      const args = ['SET', key, value, 'PX', String(ttlMs)];
      if (onlyIfAbsent) args.push('NX');
      return (await send(args)) === 'OK';
    },
    del: async (key) => {
      await send(['DEL', key]);
    },
    eval: (script, keys, args) => send(['EVAL', script, String(keys.length), ...keys, ...args]),
    publish: async (channel, message) => {
      await send(['PUBLISH', channel, message]);
    },
    subscriber(onMessage, onError) {
      const sub = c.duplicate();
      // An 'error' event without a listener would crash the process.
      sub.on('error', onError);
      let connecting: Promise<unknown> | undefined;
      return idempotentSubscriber(
        async (channel) => {
          connecting ??= sub.connect().catch((error: unknown) => {
            connecting = undefined;
            throw error;
          });
          await connecting;
          await sub.subscribe(channel, (message, ch) => onMessage(ch, message));
        },
        async () => destroy(sub),
      );
    },
    close: async () => {
      if (!c.isOpen) return;
      await (typeof c.close === 'function' ? c.close() : c.quit?.());
    },
    destroy: () => destroy(c),
  };
}

// Drop a connection at once: v5 `destroy()`, v4 `disconnect()`.
function destroy(c: NodeRedis): void {
  try {
    if (!c.isOpen) return;
    if (typeof c.destroy === 'function') c.destroy();
    else c.disconnect?.().catch(() => undefined);
  } catch {
    // Already closed.
  }
}
