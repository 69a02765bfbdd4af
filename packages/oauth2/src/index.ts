// @fintoken/oauth2: every public export by name.
export { createOAuth2Client } from './client.js';
export { discoveryUrls } from './discovery.js';
export type {
  AuthMethod,
  DpopOptions,
  ListOption,
  OAuth2Client,
  OAuth2ClientOptions,
  OAuth2TokenRequest,
  PrivateKey,
  PrivateKeyEntry,
  TlsCredentials,
  TokenParameters,
} from './types.js';
