// jose's decoder alone (`jose/jwt/decode`, a few kB of its modules): decoding is all core does
// with a JWT, and the whole of jose (JWS, JWE, JWK, key import) costs a cold start ~30 ms to load.
import type { JWTPayload } from 'jose';
import { decodeJwt } from 'jose/jwt/decode';

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
