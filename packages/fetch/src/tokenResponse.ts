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
 * A core `Token` (from a custom `getToken`) is accepted as is. Either must still be valid at
 * `receivedAt`: a token that arrives expired is a `ResponseValidationError` (`expires_in`).
 */
export function toToken(body: unknown, receivedAt: number, status?: number): Token {
  const b = (body ?? {}) as Partial<TokenResponse & Token>;
  const { access_token, expires_in, token_type, business_id } = b;
  const isToken = typeof b.accessToken === 'string' && typeof b.expiresAt === 'number';
  const expiresAt = isToken ? b.expiresAt! : receivedAt + (expires_in as number) * 1000;
  const invalid = isToken
    ? ''
    : typeof access_token !== 'string' || !access_token
      ? 'access_token'
      : // RFC 6749 §5.1: expires_in is a lifetime in seconds (more than 0: see below).
        typeof expires_in !== 'number' || !(expires_in < 1e10)
        ? 'expires_in'
        : // RFC 6750 §1: the scheme this wrapper sends; the token type is case-insensitive (RFC 6749 §5.1).
          token_type != null && (typeof token_type !== 'string' || token_type.toLowerCase() !== 'bearer')
          ? 'token_type'
          : business_id != null && typeof business_id !== 'string'
            ? 'business_id'
            : '';
  // A token that arrives expired (expires_in 0, or a core Token past its expiresAt) is no use either.
  const field = invalid || (expiresAt > receivedAt ? '' : 'expires_in');
  // Core's errors and tokens leave out fields that are undefined.
  if (field) throw new ResponseValidationError(`The token response has no valid ${field}`, { field, status: status! });
  return createToken(
    isToken
      ? (b as Token)
      : { accessToken: access_token as string, tokenType: 'Bearer', issuedAt: receivedAt, expiresAt, businessId: business_id ?? undefined },
  );
}
