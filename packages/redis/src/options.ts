import type { KeyObject } from 'node:crypto';
import type { ConnectionOptions } from 'node:tls';
import { ConfigurationError, type Clock, type EventListener } from '@fintoken/core';
import { driverFor } from './detect.js';
import type { Driver } from './driver.js';
import { parseEncryptionKey } from './encryption.js';
import type { RedisStoreOptions } from './types.js';

export interface ResolvedOptions {
  /** The client's driver, or `undefined` when the store opens its own from `url`. */
  driver: Driver | undefined;
  url: string | undefined;
  tls: ConnectionOptions | undefined;
  prefix: string;
  key: KeyObject | undefined;
  lockTtlMs: number | undefined;
  lockLeaseMs: number;
  waitTimeoutMs: number | undefined;
  operationTimeoutMs: number;
  onEvent: EventListener | undefined;
  now: Clock;
}

/** How long a crashed holder's lock blocks the fleet; renewed every third while the holder works. */
const DEFAULT_LEASE_MS = 5_000;

const KNOWN = new Set(['client', 'url', 'tls', 'prefix', 'encryptionKey', 'lockTtlMs', 'lockLeaseMs', 'waitTimeoutMs', 'operationTimeoutMs', 'onEvent', 'now']);

/**
 * Validate `createRedisStore` options once. Like core's `parseOptions`, the error names each bad
 * field and what is wrong, never the value (a URL may hold a password, the key is a secret).
 * Unknown fields are errors: a misspelt `encryptionKey` must not silently store plaintext.
 */
export function resolveOptions(input: RedisStoreOptions): ResolvedOptions {
  const problems: string[] = [];
  if (typeof input !== 'object' || input === null) throw new ConfigurationError('createRedisStore: invalid options: options: must be an object');
  for (const name of Object.keys(input)) if (!KNOWN.has(name)) problems.push(`${name}: is not an option`);

  let driver: Driver | undefined;
  if (input.client !== undefined) {
    driver = driverFor(input.client);
    if (driver === undefined) problems.push('client: must be an ioredis client or a node-redis v4/v5 client');
  }
  const { url } = input;
  if (url !== undefined && !isRedisUrl(url)) problems.push('url: must be a redis:// or rediss:// URL');
  if (input.client !== undefined && url !== undefined) problems.push('options: give client or url, not both');
  if (input.client === undefined && url === undefined) problems.push('client: is required (an ioredis or node-redis client), or give url');

  const tls = input.tls;
  if (tls !== undefined) {
    if (typeof tls !== 'object' || tls === null) problems.push('tls: must be an object of TLS options (ca, cert, key, servername)');
    else if (url === undefined) problems.push('tls: goes with url (configure the TLS of a client you pass yourself)');
    else if (isRedisUrl(url) && new URL(url).protocol !== 'rediss:') problems.push('tls: needs a rediss:// url');
    else if ((tls as { rejectUnauthorized?: unknown }).rejectUnauthorized === false) {
      problems.push('tls: rejectUnauthorized false accepts any server as Redis; give the private CA as tls.ca instead');
    }
  }

  const prefix = input.prefix ?? 'fintoken:';
  if (typeof prefix !== 'string') problems.push('prefix: must be a string');

  let key: KeyObject | undefined;
  if (Object.hasOwn(input, 'encryptionKey') && isEmptyKey(input.encryptionKey)) {
    // `encryptionKey: process.env.FINTOKEN_REDIS_KEY` with the variable unset must not quietly
    // store plaintext: plain storage is asked for by leaving the option out.
    problems.push('encryptionKey: is given but empty (an unset environment variable?); leave the option out to store plain JSON');
  } else if (input.encryptionKey !== undefined) {
    const parsed = parseEncryptionKey(input.encryptionKey);
    if (typeof parsed === 'string') problems.push(`encryptionKey: ${parsed}`);
    else key = parsed;
  }

  const ms = (name: 'lockTtlMs' | 'lockLeaseMs' | 'waitTimeoutMs' | 'operationTimeoutMs'): number | undefined => {
    const v = input[name];
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
      problems.push(`${name}: must be a positive number of milliseconds`);
      return undefined;
    }
    return Math.ceil(v);
  };
  const lockTtlMs = ms('lockTtlMs');
  const waitTimeoutMs = ms('waitTimeoutMs');
  const operationTimeoutMs = ms('operationTimeoutMs') ?? 500;
  const leaseMs = ms('lockLeaseMs');
  // The invariant behind one request per fleet: a waiter never gives up on a lock that may be live.
  if (lockTtlMs !== undefined && waitTimeoutMs !== undefined && waitTimeoutMs < lockTtlMs) {
    problems.push('waitTimeoutMs: must be at least lockTtlMs (a waiter that gives up on a live lock fetches on its own)');
  }
  // Renewed every third of the lease, each renewal one bounded command: a lease the command bound
  // eats up would lapse under a live holder.
  if (leaseMs !== undefined && leaseMs < 3 * operationTimeoutMs) problems.push('lockLeaseMs: must be at least 3 × operationTimeoutMs (the watchdog renews it every third)');
  if (input.onEvent !== undefined && typeof input.onEvent !== 'function') problems.push('onEvent: must be a function (event listener)');
  if (input.now !== undefined && typeof input.now !== 'function') problems.push('now: must be a function (clock returning epoch ms)');

  const lockLeaseMs = leaseMs ?? Math.max(DEFAULT_LEASE_MS, 3 * operationTimeoutMs);
  if (problems.length > 0) throw new ConfigurationError(`createRedisStore: invalid options: ${problems.join('; ')}`);
  return { driver, url, tls, prefix, key, lockTtlMs, lockLeaseMs, waitTimeoutMs, operationTimeoutMs, onEvent: input.onEvent, now: input.now ?? Date.now };
}

function isEmptyKey(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'string') return value.trim() === '';
  return value instanceof Uint8Array && value.length === 0;
}

function isRedisUrl(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    const { protocol } = new URL(value);
    return protocol === 'redis:' || protocol === 'rediss:';
  } catch {
    return false;
  }
}
