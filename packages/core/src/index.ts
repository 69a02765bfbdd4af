// @fintoken/core: every public export by name.
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
  toFintokenError,
  UnsupportedError,
} from './errors.js';
export type { FintokenErrorCode, FintokenErrorOptions, ProviderErrorOptions } from './errors.js';
export { TokenCache } from './tokenCache.js';
export type { CacheGetOptions, LoadReason, TokenCacheOptions, TokenFetcher } from './tokenCache.js';
export { createSingleFlight } from './singleFlight.js';
export type { SingleFlight } from './singleFlight.js';
export { createRefreshPolicy } from './refreshAhead.js';
export type { RefreshAheadOption, RefreshPolicy } from './refreshAhead.js';
export { createMemoryStore } from './memoryStore.js';
export { buildCacheKey, normalizeList } from './cacheKey.js';
export type { CacheKeyParts } from './cacheKey.js';
export { createToken, remainingSeconds } from './token.js';
export { REJECTED_TOKEN_HEADER, tokenFingerprint } from './fingerprint.js';
export { createRedactor, REDACTED } from './redact.js';
export type { Redactor } from './redact.js';
export { retry, defaultRetry } from './retry.js';
export type { RetryHooks, RetryOptions } from './retry.js';
export { parseRetryAfter } from './retryAfter.js';
export { raceSignal, sleep } from './abort.js';
export { httpRequest, transportRuntime } from './runtime.js';
export type { HttpExchange, HttpOptions, HttpRequestInit, HttpResponse, TransportRuntime } from './http.js';
export { computeExpiry } from './expiry.js';
export type { ExpiryInput, ExpiryResult } from './expiry.js';
export { decodeJwtClaims } from './jwt.js';
export { callEndpoint, checkResponse, parseOAuthError } from './tokenEndpoint.js';
export type { EndpointSpec, ErrorDetails, ResponseText } from './tokenEndpoint.js';
export {
  clientCredentialsRequest,
  encodeForm,
  fetchClientCredentialsToken,
  tokenFromResponse,
  tokenResponseSchema,
} from './clientCredentials.js';
export type { ClientCredentialsOptions, FormFields, TokenFromResponseOptions, TokenResponse } from './clientCredentials.js';
export { commonOptionsShape, credentialsShape, isLoopbackHost, parseOptions, parseRequest, urlOption } from './options.js';
export type { CommonOptions } from './options.js';
export { createProviderClient } from './client.js';
export type { ApiSpec, FetchContext, ProviderClient, ProviderDefinition } from './client.js';
export { readApiResponse } from './apiRequest.js';
export { isUuid } from './uuid.js';
export { joinUrl, trimTrailingSlash } from './url.js';
export { authorizedFetch } from './authorizedFetch.js';
export type { AuthorizedFetch, AuthorizedFetchInit, AuthorizedFetchOptions } from './authorizedFetch.js';
export { bearer, withParentToken } from './parentToken.js';
export type { Transport } from './transport.js';
export { createEmitter } from './transport.js';
