import { REDACTED, inspectSymbol } from './redact.js';
import type { Token } from './types.js';

// Shared by every token fintoken creates: the access token stays a plain enumerable field for
// callers, but util.inspect and JSON.stringify show it redacted, so a logged token leaks nothing.
function toJSON(this: Token) {
  return { ...this, accessToken: REDACTED };
}
// util.inspect shows what JSON.stringify shows: every field, the access token redacted.
const tokenPrototype = { toJSON, [inspectSymbol]: toJSON };

const FIELDS = ['accessToken', 'tokenType', 'expiresAt', 'issuedAt', 'scope', 'businessId'] as const;

/** Create a `Token` whose `toJSON` and `util.inspect` never reveal the access token. */
export function createToken(fields: Token): Token {
  const token: Record<string, unknown> = Object.create(tokenPrototype);
  for (const k of FIELDS) if (fields[k] !== undefined) token[k] = fields[k];
  return token as unknown as Token;
}

/** Seconds of life left, rounded down, never negative: what `expires_in` means to a browser. */
export function remainingSeconds(token: Token, now: number): number {
  return Math.max(0, Math.floor((token.expiresAt - now) / 1000));
}

const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * A token's fields as a plain object, the access token included: what a shared store writes
 * (`JSON.stringify` of a `Token` itself redacts the access token).
 */
export function tokenFields(token: Token): Token {
  const fields: Token = { accessToken: token.accessToken, tokenType: token.tokenType, expiresAt: token.expiresAt };
  if (token.issuedAt !== undefined) fields.issuedAt = token.issuedAt;
  if (token.scope !== undefined) fields.scope = [...token.scope];
  if (token.businessId !== undefined) fields.businessId = token.businessId;
  return fields;
}

/**
 * A redacting `Token` from what a shared store read back (parsed JSON, a structured clone), or
 * `undefined` when it is not one: a non-empty access token, a token type, finite times, a list
 * of strings for scope. Never throws; extra fields are dropped.
 */
export function parseToken(value: unknown): Token | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const o = value as Record<string, unknown>;
  if (typeof o.accessToken !== 'string' || o.accessToken === '' || typeof o.tokenType !== 'string' || !isTime(o.expiresAt)) return undefined;
  if (o.issuedAt !== undefined && !isTime(o.issuedAt)) return undefined;
  if (o.scope !== undefined && !(Array.isArray(o.scope) && o.scope.every((s) => typeof s === 'string'))) return undefined;
  if (o.businessId !== undefined && typeof o.businessId !== 'string') return undefined;
  return createToken(tokenFields(o as unknown as Token));
}
