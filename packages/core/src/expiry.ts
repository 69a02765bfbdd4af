import { decodeJwtClaims } from './jwt.js';

export interface ExpiryInput {
  /** Local epoch ms at which the response arrived. */
  receivedAt: number;
  /** `expires_in` from the response, in seconds. RFC 6749 §5.1: RECOMMENDED, not required. */
  expiresIn?: number | undefined;
  /** `relative` (RFC 6749: seconds from now) or `absolute` (a unix timestamp, as Asset sends). */
  mode?: 'relative' | 'absolute';
  /** The response's `Date` header: the server's clock, used to correct absolute times for skew. */
  dateHeader?: string | undefined;
  /** When it is a JWT, its `exp` may tighten (never extend) the expiry. */
  accessToken?: string;
  /** Subtracted so a token is never used at the edge of its life. Default 10,000 ms, at most 10 % of the lifetime. */
  safetyMarginMs?: number;
  /** Lifetime assumed when neither `expires_in` nor a JWT `exp` says. Default 300,000 ms. */
  defaultLifetimeMs?: number;
  /** Longest lifetime believed. Default 31 days. */
  maxLifetimeMs?: number;
}

export interface ExpiryResult {
  expiresAt: number;
  /** Set when the computation had to second-guess the response. */
  adjustment?: 'absolute-looked-like-duration' | 'jwt-exp-earlier' | 'no-expires-in';
}

// Unix seconds before 2001-09-09: no token endpoint today means such an "absolute" expiry.
const SMALLEST_PLAUSIBLE_UNIX_TIME = 1_000_000_000;

/** Compute a token's local expiry from what the provider said. */
export function computeExpiry(input: ExpiryInput): ExpiryResult {
  const { receivedAt } = input;
  const serverDate = input.dateHeader === undefined ? Number.NaN : Date.parse(input.dateHeader);
  const hasServerDate = !Number.isNaN(serverDate);
  const serverNow = hasServerDate ? serverDate : receivedAt;
  let adjustment: ExpiryResult['adjustment'];

  let lifetimeMs: number | undefined;
  if (input.expiresIn !== undefined) {
    if (input.mode === 'absolute' && input.expiresIn >= SMALLEST_PLAUSIBLE_UNIX_TIME) {
      lifetimeMs = input.expiresIn * 1000 - serverNow;
    } else {
      if (input.mode === 'absolute') adjustment = 'absolute-looked-like-duration';
      lifetimeMs = input.expiresIn * 1000;
    }
  }

  const exp = input.accessToken === undefined ? undefined : decodeJwtClaims(input.accessToken)?.exp;
  if (typeof exp === 'number' && Number.isFinite(exp)) {
    const jwtLifetime = exp * 1000 - serverNow;
    // Without a Date header a negative value may be clock skew rather than a dead token: ignore it.
    if ((jwtLifetime > 0 || hasServerDate) && (lifetimeMs === undefined || jwtLifetime < lifetimeMs)) {
      if (lifetimeMs !== undefined) adjustment ??= 'jwt-exp-earlier';
      lifetimeMs = jwtLifetime;
    }
  }
  if (lifetimeMs === undefined) {
    adjustment = 'no-expires-in';
    lifetimeMs = input.defaultLifetimeMs ?? 300_000;
  }
  lifetimeMs = Math.min(lifetimeMs, input.maxLifetimeMs ?? 31 * 24 * 3600 * 1000);
  const margin = Math.min(input.safetyMarginMs ?? 10_000, Math.max(0, lifetimeMs) * 0.1);
  const result: ExpiryResult = { expiresAt: receivedAt + lifetimeMs - margin };
  if (adjustment !== undefined) result.adjustment = adjustment;
  return result;
}
