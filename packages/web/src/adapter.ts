// @fintoken/web/adapter: the framework-neutral endpoint semantics, for writing an adapter to a
// framework that has no Fetch API (`@fintoken/express` is one). Applications use the root entry.
export { createTokenEndpoint } from './endpoint.js';
export type {
  AuthorizedIdentity,
  AuthorizeResult,
  BusinessTokenResponse,
  EndpointAdapter,
  RateLimitOptions,
  TokenEndpointOptions,
  TokenRequestExtras,
} from './endpoint.js';
export { createTokenContext } from './tokenContext.js';
export type { FintokenRequestContext, TokenContextOptions } from './tokenContext.js';
export { errorResponse, errorResult } from './errorResponse.js';
export type { EndpointResult, ErrorResponse, ErrorResponseCode } from './errorResponse.js';
export { mapError } from './mapError.js';
