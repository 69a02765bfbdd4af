import type { ProviderClient, Token } from '@fintoken/core';
import { createProviderClient } from '@fintoken/core/provider';
import { resolveThredfiOptions, type ThredfiClientOptions } from './options.js';
import { validateThredfiRequest } from './request.js';
import { businessTokenResponseSchema } from './responses.js';

/** A Thredfi token client: the partner token, business-scoped tokens and an authorized `fetch`. */
export interface ThredfiClient extends ProviderClient {
  /** The business-scoped token "required for most API endpoints" (seed), cached per business. */
  getBusinessToken(businessId: string, options?: { forceRefresh?: boolean; signal?: AbortSignal }): Promise<Token>;
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
  const { baseUrl } = config;
  const client = createProviderClient({
    provider: 'thredfi',
    factory: 'createThredfiClient',
    environment: config.environment,
    clientId: config.partnerId,
    secret: config.apiKey,
    secretName: 'apiKey',
    apiUrl: baseUrl,
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
    // Partner token (seed, "Step 1"): Basic `partner_uuid:api_key`, form grant_type=client_credentials.
    // The trailing slash is part of the documented path.
    grant: { tokenUrl: `${baseUrl}/v1/platform/oauth2/token/`, authMethod: 'client_secret_basic' },
    // Business token (seed, "Step 2"): the partner Bearer and no body; the answer names its
    // business, which must be the one asked for.
    businessToken: {
      url: (businessId) => `${baseUrl}/v1/platform/${businessId}/oauth2/token/`,
      schema: businessTokenResponseSchema,
      name: 'business token endpoint',
      businessField: 'business_id',
    },
  });
  const getBusinessToken: ThredfiClient['getBusinessToken'] = (businessId, { forceRefresh, signal } = {}) =>
    client.getToken({ businessId, forceRefresh, signal });
  return Object.assign(client, { getBusinessToken });
}
