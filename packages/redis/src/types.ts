import type { ConnectionOptions } from 'node:tls';
import type { Clock, EventListener, Lock, Token, TokenStore } from '@fintoken/core';

/**
 * An ioredis client: `new Redis(...)` (standalone, or Sentinel-managed with `sentinels` and
 * `name`) or `new Cluster(...)`. Structural on purpose: the package never imports ioredis' types,
 * so it type-checks for users who only have node-redis.
 */
export interface IoredisLike {
  eval(...args: never[]): unknown;
  duplicate(...args: never[]): unknown;
  readonly status: string;
}

/**
 * A node-redis v4/v5 client (`createClient`), cluster (`createCluster`) or v5 sentinel
 * (`createSentinel`), connected by you.
 */
export interface NodeRedisLike {
  sendCommand(...args: never[]): Promise<unknown>;
  subscribe(...args: never[]): unknown;
  readonly isOpen: boolean;
}

export interface RedisStoreOptions {
  /**
   * The connection to use: an ioredis `Redis` or `Cluster`, or a node-redis client, cluster or
   * sentinel, told apart automatically. The store never closes it. Give `client` or `url`.
   */
  client?: IoredisLike | NodeRedisLike;
  /**
   * `redis://` or `rediss://` URL: the store opens (and `quit()` closes) its own connection with
   * ioredis, or node-redis when ioredis is not installed.
   */
  url?: string;
  /**
   * With a `rediss://` url: TLS options for the connection (node's `tls.connect` options), e.g.
   * `{ ca }` to trust a private CA, `{ cert, key }` for client certificates. `rejectUnauthorized:
   * false` is refused.
   */
  tls?: ConnectionOptions;
  /** Prepended to every key and to the update channel. Default `fintoken:`. */
  prefix?: string;
  /**
   * 32-byte key (Buffer/Uint8Array, or a base64, base64url or hex string): entries are stored
   * AES-256-GCM encrypted and only authenticated entries are read.
   */
  encryptionKey?: Uint8Array | string;
  /**
   * When set, caps the life of every refresh lock (the client's `lockTtlMs`, which is derived
   * from its fetch deadline). A cap can only shorten a lock, so it never makes waiters give up on a
   * live one; set it no lower than one token fetch may take.
   */
  lockTtlMs?: number;
  /**
   * How long a lock outlives a holder that stopped renewing it (killed, crashed, frozen): the
   * holder's watchdog renews it every third of this while it fetches, up to the lock's life.
   * Default 5,000 ms (or 3 × `operationTimeoutMs` when that is longer); at least 3 × `operationTimeoutMs`.
   */
  lockLeaseMs?: number;
  /** When set, the longest single `waitFor()` (the client waits in slices and re-checks the lock). At least `lockTtlMs`. */
  waitTimeoutMs?: number;
  /** Bound on every Redis command; a late answer rejects with `TimeoutError`. Default 500 ms. */
  operationTimeoutMs?: number;
  /**
   * Told (`store.error`) about entries skipped as corrupt or undecryptable, connection failures
   * (`reason: 'connection'`: TLS, authentication, refused), failed releases and lost locks. Never
   * carries a value, the URL or a password.
   */
  onEvent?: EventListener;
  /** The clock used for entry TTLs and expiry checks. Default `Date.now`. */
  now?: Clock;
}

/** A `TokenStore` on Redis, with a distributed refresh lock and pub/sub wake-ups. */
export interface RedisStore extends TokenStore {
  lock(key: string, ttlMs: number): Promise<Lock | undefined>;
  waitFor(key: string, options: { previous?: string; timeoutMs: number; signal?: AbortSignal }): Promise<Token | undefined>;
  /** The key prefix in use. */
  readonly prefix: string;
  /** Whether entries are encrypted at rest. */
  readonly encrypted: boolean;
  /**
   * Release every lock this store holds and settle every release in flight, then stop pending
   * `waitFor()` calls (they resolve `undefined`), close the subscriber connection and, when the
   * store was given `url`, its own connection. A `client` you passed stays open: close it after
   * `await store.quit()`.
   */
  quit(): Promise<void>;
}
