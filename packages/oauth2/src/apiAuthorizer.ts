import type { ProviderDefinition } from '@fintoken/core/provider';
import { isNonceChallenge, type Dpop } from './dpop.js';
import type { Mtls } from './mtls.js';
import type { OAuth2TokenRequest } from './types.js';

type FetchAuthorizer = NonNullable<ProviderDefinition<OAuth2TokenRequest>['authorizer']>;

/**
 * How `client.fetch` presents a sender-constrained token to the API: a DPoP token as
 * `Authorization: DPoP` with a proof bound to the request and the token (RFC 9449 §7.1, `ath`), a
 * certificate-bound token over the client certificate it is bound to (RFC 8705 §3). A plain Bearer
 * token (a server that ignored the DPoP proof answers `token_type: Bearer`) is sent as a Bearer.
 */
export function createApiAuthorizer(dpop: Dpop | undefined, mtls: Mtls | undefined): FetchAuthorizer {
  return {
    async authorize({ url, method, token }) {
      const headers: Record<string, string> = {};
      if (dpop !== undefined && token.tokenType.toLowerCase() === 'dpop') {
        headers.authorization = `DPoP ${token.accessToken}`;
        headers.dpop = await dpop.proof({ method, url, accessToken: token.accessToken });
      }
      return mtls === undefined ? { headers } : { headers, dispatcher: await mtls.current() };
    },
    retrySameToken(response) {
      if (dpop === undefined) return false;
      dpop.learn(response.url, response.headers.get('dpop-nonce'));
      return isNonceChallenge(response);
    },
  };
}
