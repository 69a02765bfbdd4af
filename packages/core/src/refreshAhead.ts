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
      /**
       * Never more than this share of the lifetime, so short tokens aren't refreshed on every call.
       * Default 0.5, and a token too short for `minMs` then serves min(`minMs`, 80 % of its
       * lifetime) before its refresh; set explicitly, this share is the cap as given.
       */
      maxRatio?: number;
    };

/**
 * The instant at which a token issued at `issuedAt` and expiring at `expiresAt` should be
 * refreshed. `handoff`: for a caller that hands the token on (`fresh`, see createRefreshPolicy).
 */
export type RefreshPolicy = (issuedAt: number, expiresAt: number, handoff?: boolean) => number;

// A token serves at least min(minMs, this share of its lifetime) before its refresh starts. It
// binds only tokens too short for the `minMs` floor (under 2 minutes by default: the lead stays
// max(60 s, 10 %) above that): a 60 s floor would otherwise take half their life, and a 2 s token
// under load would cost 2.2 token requests per lifetime instead of ~1.4 (1 / (0.9 × 0.8), the 0.9
// being expiry.ts's safety margin), while its lead (a fifth of 1.8 s) still dwarfs one token
// request's round trip (bench: expiry).
const MIN_SERVICE_SHARE = 0.8;

/**
 * Build the function giving the instant at which a token should be refreshed.
 * Default (DESIGN.md): when less than max(60 s, 10 % of its lifetime) remains, capped at half its
 * lifetime, and never before the token has served 60 s or 80 % of its lifetime, whichever is shorter.
 *
 * With `handoff` (a caller that hands the token on, `fresh`: the web and Express endpoints, whose
 * browser refreshes ahead on its own) the rule applies without the minimum service, so the window
 * opens by half the lifetime: the page asks once a third of its token's life is left
 * (@fintoken/fetch), and finding the window open then is what gets it the replacement rather than
 * the token being replaced. A fixed lead (a number) or `false` means what it says for every caller.
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
  // The minimum service belongs to the default cap: whoever sets maxRatio has chosen their own.
  const minService = option.maxRatio === undefined;
  return (issuedAt, expiresAt, handoff) => {
    const lifetime = Math.max(0, expiresAt - issuedAt);
    let lead = Math.min(Math.max(minMs, lifetime * ratio), lifetime * maxRatio);
    if (minService && !handoff) lead = Math.min(lead, Math.max(lifetime - minMs, lifetime * (1 - MIN_SERVICE_SHARE)));
    return expiresAt - lead;
  };
}
