// @fintoken/asset: every public export by name.
export { createAssetClient } from './client.js';
export type { AssetClient } from './client.js';
export { ASSET_BASE_URLS } from './options.js';
export type { AssetClientOptions, AssetEnvironment } from './options.js';
export type { AssetTokenRequest } from './request.js';
