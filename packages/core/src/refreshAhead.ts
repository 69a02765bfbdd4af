import { ConfigurationError } from './errors.js';

/**
 * When to refresh a token before it expires. A number is a fixed lead in ms; an object tunes
 * the default rule; `false` refreshes only once a token has expired.
 */
export type RefreshAheadOption =
  | number
  | false
  | {
      /** Lead of at least this many ms. Default 60,000. */
      minMs?: number;
      /** Lead of at least this share of the token's lifetime. Default 0.1. */
      ratio?: number;
      /** Never more than this share of the lifetime, so short tokens aren't refreshed on every call. Default 0.5. */
      maxRatio?: number;
    };

export type RefreshPolicy = (issuedAt: number, expiresAt: number) => number;

/**
 * Build the function giving the instant at which a token should be refreshed.
 * Default (DESIGN.md): when less than max(60 s, 10 % of its lifetime) remains, capped at half
 * its lifetime.
 */
export function createRefreshPolicy(option: RefreshAheadOption = {}): RefreshPolicy {
  if (option === false) return (_issuedAt, expiresAt) => expiresAt;
  if (typeof option === 'number') {
    if (!Number.isFinite(option) || option < 0) throw new ConfigurationError('refreshAhead: must be a number of ms >= 0');
    return (issuedAt, expiresAt) => Math.max(issuedAt, expiresAt - option);
  }
  const minMs = option.minMs ?? 60_000;
  const ratio = option.ratio ?? 0.1;
  const maxRatio = option.maxRatio ?? 0.5;
  if (!(minMs >= 0) || !(ratio >= 0 && ratio <= 1) || !(maxRatio >= 0 && maxRatio <= 1)) {
    throw new ConfigurationError('refreshAhead: minMs must be >= 0 and ratio, maxRatio between 0 and 1');
  }
  return (issuedAt, expiresAt) => {
    const lifetime = Math.max(0, expiresAt - issuedAt);
    const lead = Math.min(Math.max(minMs, lifetime * ratio), lifetime * maxRatio);
    return expiresAt - lead;
  };
}
