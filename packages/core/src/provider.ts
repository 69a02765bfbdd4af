// @fintoken/core/provider: the provider kit. What a provider package (fintoken's own, or yours)
// needs to declare a provider and let core do the rest: the client, the token endpoint calls,
// error parsing, option building blocks and rotating credentials. Applications use the root.
export { createProviderClient } from './client.js';
export type { ApiSpec, FetchContext, ProviderClient, ProviderDefinition } from './client.js';
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
export { createCredential, isSecretString, withCredential } from './credential.js';
export type { Credential, CredentialInput, CredentialOptions } from './credential.js';
export { readApiResponse } from './apiRequest.js';
export { isUuid } from './uuid.js';
export { joinUrl, trimTrailingSlash } from './url.js';
export { authorizedFetch } from './authorizedFetch.js';
export type { AuthorizedFetch, AuthorizedFetchInit, AuthorizedFetchOptions } from './authorizedFetch.js';
export { bearer, withParentToken } from './parentToken.js';
export type { Transport } from './transport.js';
export { createEmitter } from './transport.js';
export { computeExpiry } from './expiry.js';
export type { ExpiryInput, ExpiryResult } from './expiry.js';
export { httpRequest, transportRuntime } from './runtime.js';
export type { HttpExchange, HttpOptions, HttpRequestInit, HttpResponse, TransportRuntime } from './http.js';
