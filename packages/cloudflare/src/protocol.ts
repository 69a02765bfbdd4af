import { parseToken, tokenFields, type Token } from '@fintoken/core/cache';

// What the Worker-side store and the object say to each other: one JSON POST per operation, to a
// URL the object never leaves (`https://fintoken.object/<op>`, the stub's fetch never reaches a
// network). Both sides validate every field: a malformed message is a 400, never a guess.

export const OPERATIONS = ['get', 'set', 'delete', 'lock', 'release', 'wait'] as const;
export type Operation = (typeof OPERATIONS)[number];

export const OBJECT_ORIGIN = 'https://fintoken.object';

/** The longest lock an instance may ask for (core derives ~22 s from its fetch deadline). */
export const MAX_LOCK_TTL_MS = 10 * 60_000;
/** The longest the object holds one `wait` open; core waits in 1 s slices. */
export const MAX_WAIT_MS = 60_000;
/** A token entry is a few kB at most; anything far larger is not one of ours. */
export const MAX_BODY_BYTES = 64 * 1024;

/** A token as the object stores it: its plain fields (`tokenFields`; a `Token` redacts on `toJSON`). */
export type TokenEntry = Token;

/** A valid entry as plain fields, or undefined. Never throws. */
export function parseEntry(v: unknown): TokenEntry | undefined {
  const token = parseToken(v);
  return token === undefined ? undefined : tokenFields(token);
}

/** What each operation's body carries. */
export interface Requests {
  get: { key: string };
  set: { key: string; token: TokenEntry };
  delete: { key: string };
  lock: { key: string; ttlMs: number };
  release: { key: string; lease: string };
  wait: { key: string; previous?: string; timeoutMs: number };
}

/** What each operation answers (always 200 with a JSON object; errors are 4xx/5xx `{ error }`). */
export interface Responses {
  get: { token?: TokenEntry };
  set: Record<string, never>;
  delete: Record<string, never>;
  lock: { lease?: string };
  release: { released: boolean };
  wait: { token?: TokenEntry };
}

const KEY_MAX = 1024;
const isKey = (v: unknown): v is string => typeof v === 'string' && v !== '' && v.length <= KEY_MAX;
const isMs = (v: unknown, max: number): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0 && v <= max;

/** The request for `op`, or why it is not one (a message that names fields, never their values). */
export function parseRequest<O extends Operation>(op: O, body: unknown): Requests[O] | string {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'the body must be a JSON object';
  const b = body as Record<string, unknown>;
  if (!isKey(b.key)) return `key: must be a string of 1 to ${KEY_MAX} characters`;
  const key = b.key;
  switch (op) {
    case 'get':
    case 'delete':
      return { key } as Requests[O];
    case 'set': {
      const token = parseEntry(b.token);
      return token === undefined ? 'token: must be a token entry (accessToken, tokenType, expiresAt)' : ({ key, token } as Requests[O]);
    }
    case 'lock':
      return isMs(b.ttlMs, MAX_LOCK_TTL_MS) ? ({ key, ttlMs: b.ttlMs } as Requests[O]) : `ttlMs: must be a whole number of milliseconds from 1 to ${MAX_LOCK_TTL_MS}`;
    case 'release':
      return typeof b.lease === 'string' && b.lease !== '' && b.lease.length <= 100 ? ({ key, lease: b.lease } as Requests[O]) : 'lease: must be the lease a lock returned';
    case 'wait': {
      if (!isMs(b.timeoutMs, MAX_WAIT_MS)) return `timeoutMs: must be a whole number of milliseconds from 1 to ${MAX_WAIT_MS}`;
      if (b.previous !== undefined && typeof b.previous !== 'string') return 'previous: must be a string';
      return { key, timeoutMs: b.timeoutMs, ...(b.previous === undefined ? {} : { previous: b.previous }) } as Requests[O];
    }
    default:
      return 'unknown operation';
  }
}

export const isOperation = (v: string): v is Operation => (OPERATIONS as readonly string[]).includes(v);
