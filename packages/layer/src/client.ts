import { createProviderClient, fetchClientCredentialsToken, type ProviderClient, type Token } from '@fintoken/core';
import { parseLayerError } from './apiError.js';
import { mintBusinessToken } from './businessToken.js';
import { resolveLayerOptions, type LayerClientOptions } from './options.js';
import { layerKeyExtra, validateLayerRequest, type LayerTokenRequest } from './request.js';
import { whoami, type LayerWhoami } from './whoami.js';

export interface BusinessTokenOptions {
  /** Seconds the token is valid; Layer's default (3600) when left out. */
  sessionDuration?: number;
  /** Skip the cache and mint a new token. */
  forceRefresh?: boolean;
  signal?: AbortSignal;
}

/** A Layer token client: client tokens, business-scoped tokens and an authorized `fetch`. */
export interface LayerClient extends ProviderClient<LayerTokenRequest> {
  /** A token scoped to one business, for a browser or mobile app (seed: "Business-scoped access tokens"). */
  getBusinessToken(businessId: string, options?: BusinessTokenOptions): Promise<Token>;
  /** `GET /whoami` with the client token: who the credentials belong to. */
  whoami(options?: { signal?: AbortSignal }): Promise<LayerWhoami>;
}

/**
 * Create a Layer client. Tokens are cached, refreshed ahead of expiry and fetched once however
 * many callers ask at the same time.
 *
 * @example
 * const layer = createLayerClient({
 *   clientId: process.env.LAYER_CLIENT_ID!,
 *   clientSecret: process.env.LAYER_CLIENT_SECRET!,
 *   environment: 'sandbox',
 * });
 * const { accessToken } = await layer.getBusinessToken(businessId);
 */
export function createLayerClient(options: LayerClientOptions): LayerClient {
  const config = resolveLayerOptions(options);
  const { clientId, clientSecret, authUrl, apiUrl } = config;
  const client: ProviderClient<LayerTokenRequest> = createProviderClient<LayerTokenRequest>({
    provider: 'layer',
    environment: config.environment,
    clientId,
    secrets: [clientSecret],
    apiUrl,
    options: config,
    // seed layer-authentication, "Business-scoped access tokens": minted for a browser or mobile
    // app (LayerProvider's businessAccessToken); `session_duration` sets their lifetime.
    businessTokens: { browser: true, lifetimeField: 'sessionDuration' },
    // Layer's scope is fixed per environment (seed): no per-request scope or resource.
    unsupported: ['scope', 'resource'],
    validate: validateLayerRequest,
    keyExtra: layerKeyExtra,
    fetchToken({ businessId, sessionDuration }, context) {
      if (businessId !== undefined) {
        return mintBusinessToken({ apiUrl, businessId, sessionDuration, clientToken: (request) => client.getToken(request) }, context);
      }
      // Exactly the seed's curl: Basic id:secret, then grant_type, scope, client_id in the form.
      return fetchClientCredentialsToken(
        { tokenUrl: authUrl, clientId, clientSecret, authMethod: 'client_secret_basic', fields: { scope: config.scope, client_id: clientId } },
        context.transport,
        { parseError: parseLayerError, key: context.key },
      );
    },
  });
  return Object.assign(client, {
    getBusinessToken: (businessId: string, { sessionDuration, forceRefresh, signal }: BusinessTokenOptions = {}) =>
      client.getToken({ businessId, sessionDuration, forceRefresh, signal }),
    whoami: ({ signal }: { signal?: AbortSignal } = {}) => whoami(client, signal),
  });
}
