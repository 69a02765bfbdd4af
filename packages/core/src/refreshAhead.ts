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
       * Never more than this share of the lifetime. Default 0.2: a token too short for the 60 s
       * lead (under 5 min) is refreshed in the last fifth of its life, about once per lifetime.
       */
      maxRatio?: number;
    };

export type RefreshPolicy = (issuedAt: number, expiresAt: number) => number;

// The default cap on a lead, as a share of the lifetime. It only binds tokens under 5 minutes
// (60 s is a fifth of 300 s): for them the 60 s floor would be most of their life. A fifth, not
// the half it once was, so that a 2 s token under load costs ~1.4 token requests per lifetime
// (1 / (0.9 × 0.8), the 0.9 being expiry.ts's safety margin) instead of 2.2, while the lead still
// dwarfs one token request's round trip (bench: expiry).
const DEFAULT_MAX_RATIO = 0.2;

// Where a token is handed to someone who refreshes ahead on their own (a browser, through the
// web or Express endpoint: `fresh`), the window opens at half its lifetime, as before: the page
// asks once a third of its token's life is left (@fintoken/fetch), and finding the window open
// then is what gets it the replacement rather than the token it is replacing.
const HANDOFF_MAX_RATIO = 0.5;

/**
 * Build the function giving the instant at which a token should be refreshed.
 * Default (DESIGN.md): when less than max(60 s, 10 % of its lifetime) remains, capped at a fifth
 * of its lifetime.
 */
export function createRefreshPolicy(option: RefreshAheadOption = {}): RefreshPolicy {
  return policyOf(option, false);
}

/**
 * The refresh instant for callers that hand the token on (`fresh`): the default rule's lead
 * capped at half the lifetime, never a shorter lead than `createRefreshPolicy`'s. A fixed lead
 * (a number) or `false` means what it says for every caller.
 */
export function createHandoffPolicy(option: RefreshAheadOption = {}): RefreshPolicy {
  return policyOf(option, true);
}

function policyOf(option: RefreshAheadOption, handoff: boolean): RefreshPolicy {
  if (option === false) return (_issuedAt, expiresAt) => expiresAt;
  if (typeof option === 'number') {
    if (!Number.isFinite(option) || option < 0) throw new ConfigurationError('refreshAhead: must be a number of ms >= 0');
    return (issuedAt, expiresAt) => Math.max(issuedAt, expiresAt - option);
  }
  const minMs = option.minMs ?? 60_000;
  const ratio = option.ratio ?? 0.1;
  const configuredMax = option.maxRatio ?? DEFAULT_MAX_RATIO;
  if (!(minMs >= 0) || !(ratio >= 0 && ratio <= 1) || !(configuredMax >= 0 && configuredMax <= 1)) {
    throw new ConfigurationError('refreshAhead: minMs must be >= 0 and ratio, maxRatio between 0 and 1');
  }
  const maxRatio = handoff ? Math.max(configuredMax, HANDOFF_MAX_RATIO) : configuredMax;
  return (issuedAt, expiresAt) => {
    const lifetime = Math.max(0, expiresAt - issuedAt);
    const lead = Math.min(Math.max(minMs, lifetime * ratio), lifetime * maxRatio);
    return expiresAt - lead;
  };
}
