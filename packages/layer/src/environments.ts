/** Layer's two environments (seed: layer-authentication, "Environments"). */
export type LayerEnvironment = 'sandbox' | 'production';

export interface LayerEndpoints {
  /** API origin the documented paths are appended to. */
  apiUrl: string;
  /** The OAuth scope the auth server grants for this environment. */
  scope: string;
}

// One auth server for both environments; the scope, not the host, selects the environment
// (seed: the curl posts to auth.layerfi.com with scope=https://sandbox.layerfi.com/sandbox).
export const DEFAULT_AUTH_URL = 'https://auth.layerfi.com/oauth2/token';

export const LAYER_ENVIRONMENTS: Readonly<Record<LayerEnvironment, LayerEndpoints>> = {
  sandbox: { apiUrl: 'https://sandbox.layerfi.com', scope: 'https://sandbox.layerfi.com/sandbox' },
  production: { apiUrl: 'https://api.layerfi.com', scope: 'https://api.layerfi.com/production' },
};
