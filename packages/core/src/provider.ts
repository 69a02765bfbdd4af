// @fintoken/core/provider: the provider kit. What a provider package (fintoken's own, or yours)
// needs to declare a provider and let core do the rest: the client (cache, single-flight,
// refresh-ahead, store, retry, events, `fetch`), the token requests as data, rotating secrets,
// provider error parsing and option building blocks. Applications use the root.

// Declaring a provider.
export { createProviderClient } from './client.js';
export type { ApiSpec, FetchContext, GrantSpec, ProviderClient, ProviderDefinition } from './client.js';
export type { ParentMintSpec } from './parentToken.js';

// Options: the common ones, and the blocks provider options are built from.
export { commonOptionsShape, parseOptions, parseRequest } from './options.js';
export type { CommonOptions } from './options.js';
export {
  environmentOption,
  idOption,
  insecureHttpAllowed,
  isLoopbackHost,
  isResourceIndicator,
  isScopeValue,
  resourceOption,
  scopeOption,
  secretOption,
  urlOption,
  uuidOption,
} from './optionBlocks.js';
export { isUuid } from './uuid.js';
export { normalizeList } from './cacheKey.js';
export { joinUrl, trimTrailingSlash } from './url.js';

// Secrets that rotate.
export { createCredential, isSecretString, withCredential } from './credential.js';
export type { Credential, CredentialInput, CredentialOptions } from './credential.js';

// Token endpoints and provider answers, for a `fetchToken` of your own.
export { callEndpoint, checkResponse, parseOAuthError } from './tokenEndpoint.js';
export type { EndpointRequest, EndpointSpec, ErrorDetails, ResponseText } from './tokenEndpoint.js';
export { clientCredentialsRequest, encodeForm, fetchClientCredentialsToken, tokenFromResponse, tokenResponseSchema } from './clientCredentials.js';
export type { ClientCredentialsOptions, FormFields, TokenFromResponseOptions, TokenResponse } from './clientCredentials.js';
export { bearer, mintWithParent, withParentToken } from './parentToken.js';
export { readApiResponse } from './apiRequest.js';
export { authorizedFetch } from './authorizedFetch.js';
export type { AuthorizedFetch, AuthorizedFetchInit, AuthorizedFetchOptions, FetchAttempt, FetchAuthorizer } from './authorizedFetch.js';
export type { Transport } from './transport.js';
export { createEmitter } from './transport.js';
export { computeExpiry } from './expiry.js';
export type { ExpiryInput, ExpiryResult } from './expiry.js';
export { httpRequest, transportRuntime } from './runtime.js';
export type { HttpExchange, HttpOptions, HttpRequestInit, HttpResponse, TransportRuntime } from './http.js';
