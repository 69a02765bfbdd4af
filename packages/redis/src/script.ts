import { createHash } from 'node:crypto';

/**
 * Compare-and-delete: remove the lock only while it still holds our random value, so a holder
 * whose lock lapsed (and was taken by another instance) never deletes the new holder's lock.
 * The Redis `SET` docs' "Patterns" section gives this script for exactly this reason.
 */
export const RELEASE_SCRIPT = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

export const RELEASE_SHA = createHash('sha1').update(RELEASE_SCRIPT).digest('hex');

/** True for Redis's "script not cached" reply (after a restart or `SCRIPT FLUSH`), on either client. */
export function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}
