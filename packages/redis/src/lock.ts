import { randomBytes } from 'node:crypto';
import type { FintokenEvent, Lock } from '@fintoken/core';
import { bounded } from './bounded.js';
import type { Driver } from './driver.js';
import { EXTEND_SCRIPT, RELEASE_SCRIPT } from './script.js';

export interface LockManagerOptions {
  driver: Driver;
  operationTimeoutMs: number;
  /** How long a lock outlives a holder that stopped renewing it (crashed, killed, frozen). */
  leaseMs: number;
  /** When set, caps the life the caller asks for. */
  maxTtlMs: number | undefined;
  emit: (event: FintokenEvent) => void;
}

export interface LockManager {
  lock(name: string, key: string, ttlMs: number): Promise<Lock | undefined>;
  /** Release every held lock and settle every release in flight (for `quit()`). */
  settle(): Promise<void>;
}

const DEFAULT_TTL_MS = 30_000;
const ignore = () => undefined;

/**
 * The refresh lock's lifecycle. `SET NX PX lease` with a random owner; while held, a watchdog
 * renews the lease every third of it, but never past the life the caller asked for (core derives
 * that from its fetch deadline), so a live holder keeps its lock through a slow fetch and a dead
 * one frees it within one lease. Releases are tracked until they settle, so `quit()` never
 * drops one: a lost release would block the next fleet until the lock lapsed.
 */
export function createLockManager(o: LockManagerOptions): LockManager {
  const ms = o.operationTimeoutMs;
  const held = new Set<() => Promise<void>>();
  const pending = new Set<Promise<unknown>>();

  const track = <T>(promise: Promise<T>): Promise<T> => {
    pending.add(promise);
    const forget = () => pending.delete(promise);
    promise.then(forget, forget);
    return promise;
  };

  const releaseOwner = (name: string, key: string, owner: string): Promise<void> =>
    track(
      bounded('release', o.driver.eval(RELEASE_SCRIPT, [name], [owner]), ms).then(ignore, (error: unknown) => {
        o.emit({ type: 'store.error', key, reason: 'release', message: 'Could not release a refresh lock; it lapses with its lease' });
        throw error;
      }),
    );

  async function lock(name: string, key: string, ttlMs: number): Promise<Lock | undefined> {
    const asked = Number.isFinite(ttlMs) && ttlMs > 0 ? Math.ceil(ttlMs) : DEFAULT_TTL_MS;
    const life = Math.min(asked, o.maxTtlMs ?? asked);
    const lease = Math.min(o.leaseMs, life);
    const owner = randomBytes(16).toString('base64url');
    // A SET NX that succeeds after we stopped waiting would block the fleet for a lease: give it back.
    const acquired = await bounded('SET NX', o.driver.set(name, owner, lease, true), ms, (late) => {
      if (late) releaseOwner(name, key, owner).catch(ignore);
    });
    if (!acquired) return undefined;

    const started = performance.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const renew = () => {
      if (released !== undefined) return;
      timer = setTimeout(() => {
        const left = life - (performance.now() - started);
        if (left <= 0) return;
        bounded('extend', o.driver.eval(EXTEND_SCRIPT, [name], [owner, String(Math.ceil(Math.min(lease, left)))]), ms).then(
          (reply) => {
            if (Number(reply) === 1) return renew();
            if (released === undefined) o.emit({ type: 'store.error', key, reason: 'lock-lost', message: 'The refresh lock lapsed while its holder was still fetching' });
          },
          // One missed renewal is not fatal: the lease still has two thirds left.
          renew,
        );
      }, lease / 3);
      timer.unref?.();
    };
    let released: Promise<void> | undefined;
    const release = (): Promise<void> => {
      if (released === undefined) {
        clearTimeout(timer);
        held.delete(release);
        released = releaseOwner(name, key, owner);
      }
      return released;
    };
    held.add(release);
    if (lease < life) renew();
    return { release };
  }

  return {
    lock,
    async settle() {
      for (const release of [...held]) release().catch(ignore);
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  };
}
