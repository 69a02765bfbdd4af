export { createAuthFetch } from './createAuthFetch.js';
export type { AuthFetch, AuthFetchOptions, TokenOptions } from './createAuthFetch.js';
export { tokenProvider } from './tokenProvider.js';
export type { ShareAcrossTabsOption } from './tabStore.js';
export type { FetchFunction } from './tokenEndpoint.js';
export type { TokenResponse } from './tokenResponse.js';
export {
  AbortError,
  AuthenticationError,
  ConfigurationError,
  FintokenError,
  NetworkError,
  ProviderError,
  ResponseValidationError,
  TimeoutError,
} from '@fintoken/core/cache';
export type { FintokenEvent, Token } from '@fintoken/core/cache';
