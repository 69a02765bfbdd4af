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
