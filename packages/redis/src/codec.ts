import type { KeyObject } from 'node:crypto';
import { createToken, type Token } from '@fintoken/core';
import { decrypt, encrypt, looksEncrypted } from './encryption.js';

/** Why a stored value was skipped (named in a `store.error` event; never the value). */
export type DecodeFailure = 'corrupt' | 'undecryptable' | 'unencrypted';

/**
 * A token as stored: JSON of its fields, encrypted when the store has a key. `expiresAt` and
 * `issuedAt` are epoch ms on the writer's clock, so instances need roughly synced clocks.
 */
export function encodeEntry(token: Token, redisKey: string, key: KeyObject | undefined): string {
  const entry: Record<string, unknown> = { accessToken: token.accessToken, tokenType: token.tokenType, expiresAt: token.expiresAt };
  if (token.issuedAt !== undefined) entry.issuedAt = token.issuedAt;
  if (token.scope !== undefined) entry.scope = token.scope;
  if (token.businessId !== undefined) entry.businessId = token.businessId;
  const json = JSON.stringify(entry);
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
  return toToken(parsed) ?? 'corrupt';
}

function toToken(v: unknown): Token | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Record<string, unknown>;
  if (typeof o.accessToken !== 'string' || o.accessToken === '') return undefined;
  if (typeof o.tokenType !== 'string' || !isTime(o.expiresAt)) return undefined;
  if (o.issuedAt !== undefined && !isTime(o.issuedAt)) return undefined;
  if (o.scope !== undefined && !(Array.isArray(o.scope) && o.scope.every((s) => typeof s === 'string'))) return undefined;
  if (o.businessId !== undefined && typeof o.businessId !== 'string') return undefined;
  const fields: Token = { accessToken: o.accessToken, tokenType: o.tokenType, expiresAt: o.expiresAt };
  if (o.issuedAt !== undefined) fields.issuedAt = o.issuedAt as number;
  if (o.scope !== undefined) fields.scope = [...(o.scope as string[])];
  if (o.businessId !== undefined) fields.businessId = o.businessId;
  return createToken(fields);
}

function isTime(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}
