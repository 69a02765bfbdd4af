import { allowInsecureRequests, ClientSecretPost, clientCredentialsGrant, Configuration } from 'openid-client';
import type { PeerDefinition } from './types.js';
import { issuerOf } from './issuer.js';

/**
 * openid-client v6: a `Configuration` built from server metadata (Keycloak's token endpoint;
 * no discovery round trip) and `clientCredentialsGrant`. It has no token cache: every call is a
 * token request.
 */
export const openidClient: PeerDefinition = {
  name: 'openid-client',
  api: 'clientCredentialsGrant(config)',
  caching: 'none',
  create({ tokenUrl, clientId, clientSecret }) {
    const config = new Configuration({ issuer: issuerOf(tokenUrl), token_endpoint: tokenUrl }, clientId, clientSecret, ClientSecretPost(clientSecret));
    // The sandbox is plain http on loopback.
    allowInsecureRequests(config);
    return {
      getToken: () => clientCredentialsGrant(config),
      read: (response) => (response as { access_token: string }).access_token,
    };
  },
};
