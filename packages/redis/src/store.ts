import { NetworkError, type FintokenEvent, type Lock, type Token } from '@fintoken/core';
import { bounded } from './bounded.js';
import { decodeEntry, encodeEntry } from './codec.js';
import { driverForUrl } from './connect.js';
import { connectionReporter } from './connectionEvents.js';
import { lockKey as lockKeyOf, tokenKey as tokenKeyOf, updatesChannel } from './keys.js';
import { createLockManager } from './lock.js';
import { resolveOptions } from './options.js';
import { isPlaintextRemote } from './transport.js';
import type { RedisStore, RedisStoreOptions } from './types.js';
import { createWaitHub } from './waiter.js';

const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');
const ignore = () => undefined;

/**
 * A `TokenStore` on Redis for fleets: every instance reads the token the first one fetched,
 * `lock()` makes one instance refresh while the others `waitFor()` its result, and entries
 * expire with their token. Every command is bounded by `operationTimeoutMs`, so a Redis outage
 * makes core fall back to memory and the provider instead of stalling.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { createRedisStore } from '@fintoken/redis';
 *
 * const store = createRedisStore({ client: new Redis(process.env.REDIS_URL) });
 * const layer1 = createLayer1Client({ clientId, clientSecret, tokenUrl, store });
 * ```
 */
export function createRedisStore(options: RedisStoreOptions): RedisStore {
  const o = resolveOptions(options);
  const { prefix, key: cryptoKey, now, operationTimeoutMs: ms } = o;
  const emit = (event: FintokenEvent) => {
    try {
      o.onEvent?.(event);
    } catch {
      // A faulty listener must not break token delivery.
    }
  };
  if (cryptoKey === undefined && isPlaintextRemote(options.client, o.url)) warnPlaintext();
  const connection = connectionReporter(emit);
  const owned = o.driver === undefined;
  const driver = o.driver ?? driverForUrl(o.url as string, connection, undefined, o.tls);
  const channel = updatesChannel(prefix);
  const tokenKey = (key: string) => tokenKeyOf(prefix, key);
  const lockKey = (key: string) => lockKeyOf(prefix, key);
  let closed = false;
  const open = () => {
    if (closed) throw new NetworkError('The Redis token store was closed with quit()');
  };

  async function get(key: string): Promise<Token | undefined> {
    open();
    const redisKey = tokenKey(key);
    const value = await bounded('GET', driver.get(redisKey), ms);
    if (value === null || value === undefined) return undefined;
    const token = decodeEntry(value, redisKey, cryptoKey);
    if (typeof token === 'string') {
      emit({ type: 'store.error', key, reason: token, message: `Skipped a stored entry that is ${describeFailure(token)}; treating it as a miss` });
      return undefined;
    }
    // PX drops the entry with its token, but the writer's and our clocks may differ a little.
    return token.expiresAt > now() ? token : undefined;
  }

  async function set(key: string, token: Token): Promise<void> {
    open();
    const ttlMs = Math.ceil(token.expiresAt - now());
    // An expired token has nothing to share (and PX must be positive).
    if (!(ttlMs > 0)) return;
    const redisKey = tokenKey(key);
    await bounded('SET', driver.set(redisKey, encodeEntry(token, redisKey, cryptoKey), ttlMs, false), ms);
    // Wake the waiters; if this fails they still find the token by polling.
    await bounded('PUBLISH', driver.publish(channel, key), ms).catch(() =>
      emit({ type: 'store.error', key, reason: 'publish', message: 'Could not announce a stored token; waiters will find it by polling' }),
    );
  }

  async function remove(key: string): Promise<void> {
    open();
    await bounded('DEL', driver.del(tokenKey(key)), ms);
  }

  const locks = createLockManager({ driver, operationTimeoutMs: ms, leaseMs: o.lockLeaseMs, maxTtlMs: o.lockTtlMs, emit });

  async function lock(key: string, ttlMs: number): Promise<Lock | undefined> {
    open();
    return locks.lock(lockKey(key), key, ttlMs);
  }

  const hub = createWaitHub({
    channel,
    read: get,
    openSubscriber: (onMessage) => driver.subscriber(onMessage, connection.error),
    operationTimeoutMs: ms,
  });

  async function waitFor(key: string, wait: { previous?: string; timeoutMs: number; signal?: AbortSignal }): Promise<Token | undefined> {
    open();
    const timeoutMs = Math.min(wait.timeoutMs, o.waitTimeoutMs ?? Number.POSITIVE_INFINITY);
    return hub.waitFor(key, { ...wait, timeoutMs });
  }

  async function quit(): Promise<void> {
    if (closed) return;
    closed = true;
    // Before the connection closes: a lock left behind would stall the next fleet (a deploy,
    // a restart) until its lease lapsed.
    await locks.settle();
    await hub.close().catch(ignore);
    if (owned) await bounded('QUIT', driver.close(), ms).catch(() => driver.destroy());
  }

  const describe = () => ({ prefix, encryption: cryptoKey === undefined ? 'off' : 'on' });
  const store: RedisStore = { prefix, encrypted: cryptoKey !== undefined, get, set, delete: remove, lock, waitFor, quit };
  // What a log shows of the store: never the client (its options may hold a password) or the key.
  Object.defineProperties(store, {
    toJSON: { value: describe, enumerable: false },
    [inspectSymbol]: { value: () => `RedisStore ${JSON.stringify(describe())}`, enumerable: false },
    toString: { value: () => '[RedisStore]', enumerable: false },
  });
  return store;
}

let warnedPlaintext = false;

/**
 * Once per process, as Node warns about other insecure settings: tokens sent to a remote Redis
 * without TLS or encryption at rest can be read by anyone on the network path.
 */
function warnPlaintext(): void {
  if (warnedPlaintext) return;
  warnedPlaintext = true;
  process.emitWarning(
    'A fintoken Redis store connects to a non-loopback host without TLS and without encryptionKey: tokens cross the network in plain text. Use a rediss:// URL (or a TLS client), or set encryptionKey.',
    { type: 'SecurityWarning', code: 'FINTOKEN_REDIS_PLAINTEXT' },
  );
}

function describeFailure(reason: string): string {
  if (reason === 'undecryptable') return 'encrypted with another key or tampered with';
  if (reason === 'unencrypted') return 'not encrypted although this store requires encryption';
  return 'not a valid token entry';
}
