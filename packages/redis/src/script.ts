/**
 * Compare-and-delete: remove the lock only while it still holds our random value, so a holder
 * whose lock lapsed (and was taken by another instance) never deletes the new holder's lock.
 * The Redis `SET` docs' "Patterns" section gives this script for exactly this reason.
 */
export const RELEASE_SCRIPT = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

/**
 * Compare-and-extend: renew the lease only while the lock is still ours (the watchdog of
 * Redisson's `RLock`, which renews a held lock every third of its lease).
 */
export const EXTEND_SCRIPT = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0";
