import { REDACTED, inspectSymbol } from './redact.js';
import type { Token } from './types.js';

// Shared by every token fintoken creates: the access token stays a plain enumerable field for
// callers, but util.inspect and JSON.stringify show it redacted, so a logged token leaks nothing.
const tokenPrototype = {
  toJSON(this: Token) {
    return { ...this, accessToken: REDACTED };
  },
  [inspectSymbol](this: Token) {
    return `Token { tokenType: '${this.tokenType}', expiresAt: ${new Date(this.expiresAt).toISOString()}${
      this.businessId === undefined ? '' : `, businessId: '${this.businessId}'`
    }, accessToken: '${REDACTED}' }`;
  },
};

/** Create a `Token` whose `toJSON` and `util.inspect` never reveal the access token. */
export function createToken(fields: Token): Token {
  const token: Token = Object.create(tokenPrototype);
  token.accessToken = fields.accessToken;
  token.tokenType = fields.tokenType;
  token.expiresAt = fields.expiresAt;
  if (fields.issuedAt !== undefined) token.issuedAt = fields.issuedAt;
  if (fields.scope !== undefined) token.scope = fields.scope;
  if (fields.businessId !== undefined) token.businessId = fields.businessId;
  return token;
}

/** Seconds of life left, rounded down, never negative: what `expires_in` means to a browser. */
export function remainingSeconds(token: Token, now: number): number {
  return Math.max(0, Math.floor((token.expiresAt - now) / 1000));
}
