// @fintoken/express: every public export by name.
export { businessTokenHandler } from './businessTokenHandler.js';
export type {
  AuthorizedIdentity,
  AuthorizeResult,
  BusinessTokenHandlerOptions,
  BusinessTokenResponse,
  RateLimitOptions,
  TokenRequestExtras,
} from './businessTokenHandler.js';
export { withToken } from './withToken.js';
export type { FintokenRequestContext, WithTokenOptions } from './withToken.js';
export { errorHandler } from './errorHandler.js';
export { mapError } from '@fintoken/web/adapter';
export type { ErrorResponse, ErrorResponseCode } from '@fintoken/web/adapter';
