import {
  allowInsecureRequests,
  ClientSecretPost,
  clientCredentialsGrantRequest,
  processClientCredentialsResponse,
  type AuthorizationServer,
  type Client,
} from 'oauth4webapi';
import { issuerOf } from './issuer.js';
import type { PeerDefinition } from './types.js';

/**
 * oauth4webapi: `clientCredentialsGrantRequest` then `processClientCredentialsResponse`, as its
 * example shows. Protocol steps only, no cache: every call is a token request.
 */
export const oauth4webapi: PeerDefinition = {
  name: 'oauth4webapi',
  api: 'clientCredentialsGrantRequest + process…',
  caching: 'none',
  create({ tokenUrl, clientId, clientSecret }) {
    const as: AuthorizationServer = { issuer: issuerOf(tokenUrl), token_endpoint: tokenUrl };
    const client: Client = { client_id: clientId };
    const auth = ClientSecretPost(clientSecret);
    async function getToken() {
      const response = await clientCredentialsGrantRequest(as, client, auth, new URLSearchParams(), { [allowInsecureRequests]: true });
      return processClientCredentialsResponse(as, client, response);
    }
    return { getToken, read: (response) => (response as { access_token: string }).access_token };
  },
};
