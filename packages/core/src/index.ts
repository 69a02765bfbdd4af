// @fintoken/core: what applications use, every export by name. Provider packages (fintoken's own,
// or yours) build on the provider kit, `@fintoken/core/provider`.
export type {
  BusinessTokenPolicy,
  Clock,
  EventListener,
  FintokenEvent,
  FintokenEventType,
  Lock,
  Token,
  TokenClient,
  TokenRequest,
  TokenStore,
} from './types.js';
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
  toFintokenError,
  UnsupportedError,
} from './errors.js';
export type { FintokenErrorCode, FintokenErrorOptions, ProviderErrorOptions } from './errors.js';
export { TokenCache } from './tokenCache.js';
export type { CacheGetOptions, LoadReason, TokenCacheOptions, TokenFetcher } from './tokenCache.js';
export { createMemoryStore } from './memoryStore.js';
export { buildCacheKey } from './cacheKey.js';
export type { CacheKeyParts } from './cacheKey.js';
export { createToken, remainingSeconds } from './token.js';
export { decodeJwtClaims } from './jwt.js';
export { REJECTED_TOKEN_HEADER, tokenFingerprint } from './fingerprint.js';
export { createRedactor, REDACTED } from './redact.js';
export type { Redactor } from './redact.js';
export { transportRuntime } from './runtime.js';
export type { TransportRuntime } from './http.js';
// Types of the options and clients every provider package shares, for code that passes them on.
export type { CommonOptions } from './options.js';
export type { RefreshAheadOption } from './refreshAhead.js';
export type { RetryOptions } from './retry.js';
export type { CredentialInput } from './credential.js';
export type { ApiSpec, ProviderClient } from './client.js';
export type { AuthorizedFetch, AuthorizedFetchInit } from './authorizedFetch.js';
