import type { ProviderClient, TokenRequest } from '@fintoken/core';
import { createProviderClient } from '@fintoken/core/provider';
import { parseKeycloakError } from './errors.js';
import { parseLayer1Options, type Layer1ClientOptions } from './options.js';
import { keycloakTokenResponseSchema } from './responses.js';

/** What Layer1's `getToken` takes: no business, scope or resource, only cache control. */
export type Layer1TokenRequest = Pick<TokenRequest, 'forceRefresh' | 'rejectedToken' | 'signal'>;

/** A Layer1 client: core's `ProviderClient`, one token per client. */
export type Layer1Client = ProviderClient<Layer1TokenRequest>;

/**
 * Create a client for a Layer1 (Keycloak) token endpoint (seed layer1-authentication): one
 * cached client-credentials token, refreshed ahead of its 5-minute expiry.
 *
 * @example
 * const layer1 = createLayer1Client({
 *   clientId: process.env.LAYER1_CLIENT_ID!,
 *   clientSecret: process.env.LAYER1_CLIENT_SECRET!,
 *   tokenUrl: process.env.LAYER1_TOKEN_URL!,
 * });
 * const { accessToken } = await layer1.getToken();
 */
export function createLayer1Client(input: Layer1ClientOptions): Layer1Client {
  const options = parseLayer1Options(input);
  const { clientId, tokenUrl } = options;
  return createProviderClient<Layer1TokenRequest>({
    provider: 'layer1',
    factory: 'createLayer1Client',
    // Layer1 names no environments: the token URL (realm) says which one this is.
    environment: 'default',
    clientId,
    secret: options.clientSecret,
    ...(options.apiUrl === undefined ? {} : { apiUrl: options.apiUrl }),
    options,
    // The seed's token request has only client_id, client_secret and grant_type.
    unsupported: ['businessId', 'scope', 'resource'],
    // Keycloak client ids are unique per realm only: two realms may both have a "backend" client.
    keyExtra: () => tokenUrl,
    // Seed curl: form client_id, client_secret, grant_type=client_credentials (client_secret_post).
    grant: { tokenUrl, authMethod: 'client_secret_post', schema: keycloakTokenResponseSchema, parseError: parseKeycloakError },
  });
}
