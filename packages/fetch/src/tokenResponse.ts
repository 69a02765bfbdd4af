import { createToken, ResponseValidationError, type Token } from '@fintoken/core/cache';

/**
 * What the app's token endpoint answers (`@fintoken/express`'s `businessTokenHandler`), shaped
 * like an RFC 6749 §5.1 access token response.
 */
export interface TokenResponse {
  access_token: string;
  /** Seconds of life left when the endpoint answered. */
  expires_in: number;
  token_type?: string;
  business_id?: string | null;
}

/**
 * Validate a token response by hand (no zod: it would dwarf this package in a browser bundle)
 * and turn it into a `Token` whose expiry is measured from `receivedAt` on the local clock.
 * A core `Token` (from a custom `getToken`) is accepted as is.
 */
export function toToken(body: unknown, receivedAt: number, status?: number): Token {
  const b = (body ?? {}) as Partial<TokenResponse & Token>;
  if (typeof b.accessToken === 'string' && typeof b.expiresAt === 'number') return createToken(b as Token);
  const invalid = (field: string) =>
    new ResponseValidationError(`The token response has no valid ${field}; expected {access_token, expires_in, token_type?, business_id?}`, {
      field,
      ...(status === undefined ? {} : { status }),
    });
  const { access_token, expires_in, token_type, business_id } = b;
  if (typeof access_token !== 'string' || access_token === '') throw invalid('access_token');
  // RFC 6749 §5.1: expires_in is a lifetime in seconds.
  if (typeof expires_in !== 'number' || !(expires_in > 0 && expires_in < 1e10)) throw invalid('expires_in');
  // RFC 6750 §1: the scheme this wrapper sends; the token type is case-insensitive (RFC 6749 §5.1).
  if (token_type != null && (typeof token_type !== 'string' || token_type.toLowerCase() !== 'bearer')) throw invalid('token_type');
  if (business_id != null && typeof business_id !== 'string') throw invalid('business_id');
  return createToken({
    accessToken: access_token,
    tokenType: 'Bearer',
    issuedAt: receivedAt,
    expiresAt: receivedAt + expires_in * 1000,
    ...(business_id == null ? {} : { businessId: business_id }),
  });
}
