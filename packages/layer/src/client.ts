import type { ProviderClient, Token } from '@fintoken/core';
import { createProviderClient } from '@fintoken/core/provider';
import { parseLayerError } from './errors.js';
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
  const { clientId, apiUrl } = config;
  const client = createProviderClient<LayerTokenRequest>({
    provider: 'layer',
    factory: 'createLayerClient',
    environment: config.environment,
    clientId,
    secret: config.clientSecret,
    apiUrl,
    options: config,
    // seed layer-authentication, "Business-scoped access tokens": minted for a browser or mobile
    // app (LayerProvider's businessAccessToken); `session_duration` sets their lifetime.
    businessTokens: { browser: true, lifetimeField: 'sessionDuration' },
    // Layer's scope is fixed per environment (seed): no per-request scope or resource.
    unsupported: ['scope', 'resource'],
    validate: validateLayerRequest,
    keyExtra: layerKeyExtra,
    // Exactly the seed's curl: Basic id:secret, then grant_type, scope, client_id in the form.
    grant: {
      tokenUrl: config.authUrl,
      authMethod: 'client_secret_basic',
      fields: () => ({ scope: config.scope, client_id: clientId }),
      parseError: parseLayerError,
    },
    // Create business auth token (seed layer-business-auth-token): the client token as Bearer, a
    // JSON body, and an `AuthToken` answer "rather than a standard Layer API response object", so
    // RFC 6749's shape applies. session_duration left out: Layer's documented default of 3600 s.
    businessToken: {
      url: (businessId) => `${apiUrl}/v1/businesses/${businessId}/auth-token`,
      body: ({ sessionDuration }) => (sessionDuration === undefined ? {} : { session_duration: sessionDuration }),
      parseError: parseLayerError,
      name: 'auth-token endpoint',
    },
  });
  return Object.assign(client, {
    getBusinessToken: (businessId: string, { sessionDuration, forceRefresh, signal }: BusinessTokenOptions = {}) =>
      client.getToken({ businessId, sessionDuration, forceRefresh, signal }),
    whoami: ({ signal }: { signal?: AbortSignal } = {}) => whoami(client, signal),
  });
}
