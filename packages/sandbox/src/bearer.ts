import type { IncomingMessage } from 'node:http';
import { parseAuthorization } from './http.js';
import type { TokenIssuer, Verified } from './jwt.js';

export type BearerFailure = 'missing' | 'scheme' | 'invalid' | 'expired';

export type BearerResult = Extract<Verified, { ok: true }> | { ok: false; reason: BearerFailure };

/** RFC 6750 §2.1: reads the Bearer token of a request and verifies it with the provider's issuer. */
export async function authenticateBearer(req: IncomingMessage, issuer: TokenIssuer): Promise<BearerResult> {
  const auth = parseAuthorization(req.headers.authorization);
  if (auth === undefined) return { ok: false, reason: 'missing' };
  if (auth.scheme !== 'bearer') return { ok: false, reason: 'scheme' };
  return issuer.verify(auth.token);
}

const descriptions: Record<BearerFailure, string> = {
  missing: 'Authorization header with a Bearer token is required',
  scheme: 'Authorization must use the Bearer scheme',
  invalid: 'Bearer token is invalid',
  expired: 'Bearer token has expired',
};

export function describeBearerFailure(reason: BearerFailure): string {
  return descriptions[reason];
}
