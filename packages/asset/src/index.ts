// @fintoken/asset: every public export by name.
export { createAssetClient } from './client.js';
export type { AssetClient } from './client.js';
export { ASSET_BASE_URLS } from './environments.js';
export type { AssetEnvironment } from './environments.js';
export type { AssetClientOptions } from './options.js';
export type { AssetTokenRequest } from './request.js';
