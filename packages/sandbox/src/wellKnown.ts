import { json } from './http.js';
import type { TokenIssuer } from './jwt.js';
import type { Route } from './router.js';

/** Serves a provider's public keys (RFC 7517 JWK Set) so clients can verify its tokens. */
export function jwksRoute(path: string, issuer: TokenIssuer): Route {
  const reply = json(200, issuer.jwks);
  return { method: 'GET', path, handle: () => reply };
}
