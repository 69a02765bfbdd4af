import { ClientCredentials, type AccessToken } from 'simple-oauth2';
import type { PeerDefinition } from './types.js';

/**
 * simple-oauth2 as its README shows it: `ClientCredentials.getToken()`, kept in a variable and
 * fetched again once `accessToken.expired()`. Nothing shares an in-flight request.
 */
export const simpleOauth2: PeerDefinition = {
  name: 'simple-oauth2',
  api: 'getToken() + accessToken.expired()',
  caching: 'cache',
  create({ tokenUrl, clientId, clientSecret }) {
    const url = new URL(tokenUrl);
    const client = new ClientCredentials({
      client: { id: clientId, secret: clientSecret },
      auth: { tokenHost: url.origin, tokenPath: url.pathname },
      options: { authorizationMethod: 'body' },
    });
    let accessToken: AccessToken | undefined;
    // The user's code around the library (README "Access Token" section).
    async function getToken(): Promise<AccessToken> {
      if (accessToken === undefined || accessToken.expired()) accessToken = await client.getToken({});
      return accessToken;
    }
    return { getToken, read: (token) => String((token as AccessToken).token.access_token) };
  },
};
