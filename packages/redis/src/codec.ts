import type { KeyObject } from 'node:crypto';
import type { Token } from '@fintoken/core';
import { parseToken, tokenFields } from '@fintoken/core/cache';
import { decrypt, encrypt, looksEncrypted } from './encryption.js';

/** Why a stored value was skipped (named in a `store.error` event; never the value). */
export type DecodeFailure = 'corrupt' | 'undecryptable' | 'unencrypted';

/**
 * A token as stored: JSON of its fields, encrypted when the store has a key. `expiresAt` and
 * `issuedAt` are epoch ms on the writer's clock, so instances need roughly synced clocks.
 */
export function encodeEntry(token: Token, redisKey: string, key: KeyObject | undefined): string {
  const json = JSON.stringify(tokenFields(token));
  return key === undefined ? json : encrypt(key, json, redisKey);
}

/** A redacting `Token`, or why the value could not be used. Never throws. */
export function decodeEntry(value: string, redisKey: string, key: KeyObject | undefined): Token | DecodeFailure {
  let json: string | undefined = value;
  if (key !== undefined) {
    // With a key, only authenticated entries count: a plain one could have been planted by
    // anyone with write access to Redis, to make us send their token to the provider.
    if (!looksEncrypted(value)) return 'unencrypted';
    json = decrypt(key, value, redisKey);
    if (json === undefined) return 'undecryptable';
  } else if (looksEncrypted(value)) {
    return 'undecryptable';
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return 'corrupt';
  }
  return parseToken(parsed) ?? 'corrupt';
}
