// @fintoken/web: every public export by name.
export { businessTokenRoute } from './businessTokenRoute.js';
export type { BusinessTokenRouteOptions, RateLimitOptions } from './businessTokenRoute.js';
export type { AuthorizedIdentity, AuthorizeResult, BusinessTokenResponse, TokenRequestExtras } from './endpoint.js';
export { withToken } from './withToken.js';
export type { WithTokenOptions } from './withToken.js';
export type { FintokenRequestContext } from './tokenContext.js';
export { mapError } from './mapError.js';
export type { ErrorResponse, ErrorResponseCode } from './errorResponse.js';
