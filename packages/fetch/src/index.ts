export { createAuthFetch } from './createAuthFetch.js';
export type { AuthFetch, AuthFetchOptions, TabSharing, TokenOptions } from './createAuthFetch.js';
export type { OneTokenCache } from './memoryCache.js';
export { tokenProvider } from './tokenProvider.js';
export { watchToken } from './watchToken.js';
export type { TokenState, TokenWatch, WatchTokenOptions } from './watchToken.js';
export type { FetchFunction } from './tokenEndpoint.js';
export type { TokenResponse } from './tokenResponse.js';
export {
  AbortError,
  AuthenticationError,
  ConfigurationError,
  FintokenError,
  InvalidRequestError,
  NetworkError,
  ProviderError,
  ResponseValidationError,
  TimeoutError,
} from '@fintoken/core/cache';
export type { CacheGetOptions, FintokenEvent, LoadReason, Token, TokenFetcher } from '@fintoken/core/cache';
