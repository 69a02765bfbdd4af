// @fintoken/core/cache: the platform-neutral part of core (no undici, no Node built-ins), safe to
// bundle for browsers and edge runtimes.
export type { BusinessTokenPolicy, Clock, EventListener, FintokenEvent, FintokenEventType, Lock, Token, TokenClient, TokenRequest, TokenStore } from './types.js';
export {
  AbortError,
  AuthenticationError,
  ConfigurationError,
  FintokenError,
  InvalidRequestError,
  isRetryable,
  NetworkError,
  ProviderError,
  ResponseValidationError,
  TimeoutError,
  UnsupportedError,
} from './errors.js';
export type { FintokenErrorCode, ProviderErrorOptions } from './errors.js';
export { TokenCache } from './tokenCache.js';
export type { CacheGetOptions, LoadReason, TokenCacheOptions, TokenFetcher } from './tokenCache.js';
export { createSingleFlight } from './singleFlight.js';
export type { SingleFlight } from './singleFlight.js';
export { createRefreshPolicy } from './refreshAhead.js';
export type { RefreshAheadOption, RefreshPolicy } from './refreshAhead.js';
export { createMemoryStore } from './memoryStore.js';
export { buildCacheKey, normalizeList } from './cacheKey.js';
export type { CacheKeyParts } from './cacheKey.js';
export { createToken, parseToken, remainingSeconds, tokenFields } from './token.js';
export { REJECTED_TOKEN_HEADER, tokenFingerprint } from './fingerprint.js';
export { createRedactor, REDACTED } from './redact.js';
export type { Redactor } from './redact.js';
export { parseRetryAfter } from './retryAfter.js';
export { raceSignal, sleep } from './abort.js';
