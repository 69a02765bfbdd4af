import { createProviderClient, fetchClientCredentialsToken } from '@fintoken/core';
import type { FetchContext, ProviderClient, Token, TokenRequest } from '@fintoken/core';
import { fetchBusinessToken } from './businessToken.js';
import { resolveThredfiOptions, type ResolvedThredfiOptions, type ThredfiClientOptions } from './options.js';
import { validateThredfiRequest } from './request.js';

/** A Thredfi token client: the partner token, business-scoped tokens and an authorized `fetch`. */
export interface ThredfiClient extends ProviderClient {
  /** The business-scoped token "required for most API endpoints" (seed), cached per business. */
  getBusinessToken(businessId: string, options?: { forceRefresh?: boolean; signal?: AbortSignal }): Promise<Token>;
}

/** Partner token: Basic `partner_uuid:api_key`, form `grant_type=client_credentials` (seed, "Step 1"). */
function partnerToken(config: ResolvedThredfiOptions, context: FetchContext): Promise<Token> {
  return fetchClientCredentialsToken(
    {
      // The trailing slash is part of the documented path.
      tokenUrl: `${config.baseUrl}/v1/platform/oauth2/token/`,
      clientId: config.partnerId,
      clientSecret: config.apiKey,
      authMethod: 'client_secret_basic',
    },
    context.transport,
    { key: context.key },
  );
}

/**
 * Create a Thredfi client. Both tokens are cached and refreshed ahead of expiry; a business
 * token is minted with the cached partner token, refreshed once if Thredfi rejects it.
 *
 * @example
 * const thredfi = createThredfiClient({ partnerId: process.env.THREDFI_PARTNER_ID!, apiKey: process.env.THREDFI_API_KEY! });
 * const res = await thredfi.fetch(`/v1/platform/businesses/${id}/customers/`, { token: { businessId: id } });
 */
export function createThredfiClient(options: ThredfiClientOptions): ThredfiClient {
  const config = resolveThredfiOptions(options);
  const parent = (request?: TokenRequest) => client.getToken(request);
  const client: ProviderClient = createProviderClient<TokenRequest>({
    provider: 'thredfi',
    environment: config.environment,
    clientId: config.partnerId,
    secrets: [config.apiKey],
    apiUrl: config.baseUrl,
    options: config,
    // seed thredfi-business-scoped-token: business tokens live about 24 hours, "store securely and
    // never expose in client-side code"; Thredfi takes no lifetime.
    businessTokens: {
      browser: false,
      reason: 'Thredfi business tokens live about 24 hours and its documentation says to store them securely and never expose them in client-side code',
    },
    // The partner and business tokens have fixed scopes (seed).
    unsupported: ['scope', 'resource'],
    validate: validateThredfiRequest,
    fetchToken: (request, context) =>
      request.businessId === undefined ? partnerToken(config, context) : fetchBusinessToken(config.baseUrl, request.businessId, parent, context),
  });
  const getBusinessToken: ThredfiClient['getBusinessToken'] = (businessId, { forceRefresh, signal } = {}) =>
    client.getToken({ businessId, forceRefresh, signal });
  return Object.assign(client, { getBusinessToken });
}
