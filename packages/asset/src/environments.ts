export type AssetEnvironment = 'sandbox' | 'production';

/** The seed's `servers`. */
export const ASSET_BASE_URLS: Readonly<Record<AssetEnvironment, string>> = {
  sandbox: 'https://api.sandbox.getasset.com',
  production: 'https://api.getasset.com',
};
