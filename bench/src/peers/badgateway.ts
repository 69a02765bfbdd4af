import { OAuth2Client, OAuth2Fetch, type OAuth2Token } from '@badgateway/oauth2-client';
import type { PeerDefinition } from './types.js';

/**
 * @badgateway/oauth2-client as its README recommends for client credentials: an `OAuth2Fetch`
 * whose `getNewToken` calls `client.clientCredentials()`. It caches the token until expiry and
 * shares one refresh among callers that arrive while it is in flight.
 */
export const badgateway: PeerDefinition = {
  name: '@badgateway/oauth2-client',
  api: 'OAuth2Fetch.getToken()',
  caching: 'cache + single-flight',
  create({ tokenUrl, clientId, clientSecret }) {
    const client = new OAuth2Client({
      server: new URL(tokenUrl).origin,
      tokenEndpoint: tokenUrl,
      clientId,
      clientSecret,
      // Keycloak accepts both; the sandbox's Layer1 realm is exercised with form credentials.
      authenticationMethod: 'client_secret_post',
    });
    const wrapper = new OAuth2Fetch({ client, getNewToken: () => client.clientCredentials() });
    return {
      getToken: () => wrapper.getToken(),
      read: (token) => (token as OAuth2Token).accessToken,
      fetch: (url) => wrapper.fetch(url),
    };
  },
};
