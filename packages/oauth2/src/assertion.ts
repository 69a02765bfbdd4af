import { SignJWT } from 'jose';
import type { SigningKey } from './keys.js';

/** RFC 7523 §2.2: the `client_assertion_type` of a JWT client assertion. */
export const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** Long enough for one request to arrive, short enough that a copied assertion is soon worthless. */
const LIFETIME_S = 60;

/**
 * A client assertion for `client_secret_jwt` or `private_key_jwt` (RFC 7523 §3, OpenID Connect Core
 * §9): `iss` and `sub` the client id, `aud` the server, a fresh `jti` (servers refuse a second use,
 * §3 item 7) and a short `exp`. A new one is signed for every attempt, so a retry is never a replay.
 *
 * Times come from the wall clock, not the client's injectable `now`: the server checks them against
 * its own clock.
 */
export function clientAssertion(clientId: string, audience: string, key: SigningKey): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ jti: crypto.randomUUID() })
    .setProtectedHeader(key.keyId === undefined ? { alg: key.algorithm } : { alg: key.algorithm, kid: key.keyId })
    .setIssuer(clientId)
    .setSubject(clientId)
    .setAudience(audience)
    .setIssuedAt(now)
    .setExpirationTime(now + LIFETIME_S)
    .sign(key.key);
}
