import { decodeJwt, type JWTPayload } from 'jose';

/**
 * The claims of a JWT, decoded WITHOUT verifying it (jose `decodeJwt`): only to read `exp` and
 * similar hints about a token we already received over TLS from its issuer, never for auth.
 * Returns undefined for anything that is not a JWT.
 */
export function decodeJwtClaims(token: string): JWTPayload | undefined {
  try {
    return decodeJwt(token);
  } catch {
    return undefined;
  }
}
