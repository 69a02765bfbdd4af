import { randomUUID } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, jwtVerify, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import type { Clock } from './clock.js';

// ES256: compact signatures, fast to sign, and verifiable by every JOSE library.
const alg = 'ES256';

export interface SigningKey {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  jwk: JWK;
}

/**
 * One key pair per provider per start, so a token of one provider never verifies at another.
 * The kid is the RFC 7638 thumbprint: a client holding a cached JWKS from an earlier start on the
 * same port sees an unknown kid and refetches, instead of failing on a stale key.
 */
export async function createSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  const publicJwk = await exportJWK(publicKey);
  const jwk = { ...publicJwk, kid: await calculateJwkThumbprint(publicJwk), alg, use: 'sig' };
  return { privateKey, publicKey, jwk };
}

export interface Signed {
  token: string;
  iat: number;
  exp: number;
}

export type Verified =
  | { ok: true; claims: JWTPayload & Record<string, unknown> }
  | { ok: false; reason: 'invalid' | 'expired' };

export interface TokenIssuer {
  readonly issuer: string;
  readonly jwks: { keys: JWK[] };
  /** Signs an access token with iss, iat, exp (iat + ttl) and a unique jti on the sandbox clock. */
  sign(claims: JWTPayload & Record<string, unknown>, ttlSeconds: number): Promise<Signed>;
  /** Checks signature, issuer and expiry on the sandbox clock. */
  verify(token: string): Promise<Verified>;
}

export function createTokenIssuer(issuer: string, key: SigningKey, clock: Clock): TokenIssuer {
  const header = { alg, kid: key.jwk.kid, typ: 'JWT' };
  return {
    issuer,
    jwks: { keys: [key.jwk] },
    async sign(claims, ttlSeconds) {
      const iat = clock.nowSeconds();
      const exp = iat + ttlSeconds;
      const token = await new SignJWT({ ...claims, jti: randomUUID() })
        .setProtectedHeader(header)
        .setIssuer(issuer)
        .setIssuedAt(iat)
        .setExpirationTime(exp)
        .sign(key.privateKey);
      return { token, iat, exp };
    },
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, key.publicKey, {
          issuer,
          algorithms: [alg],
          currentDate: new Date(clock.now()),
        });
        return { ok: true, claims: payload };
      } catch (error) {
        const expired = (error as { code?: unknown }).code === 'ERR_JWT_EXPIRED';
        return { ok: false, reason: expired ? 'expired' : 'invalid' };
      }
    },
  };
}
