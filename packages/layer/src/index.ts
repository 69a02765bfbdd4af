// @fintoken/layer: every public export by name.
export { createLayerClient } from './client.js';
export type { BusinessTokenOptions, LayerClient } from './client.js';
export type { LayerClientOptions } from './options.js';
export type { LayerTokenRequest } from './request.js';
export type { LayerEnvironment } from './environments.js';
export type { LayerWhoami } from './whoami.js';
export { isLayerApiError } from './errors.js';
export type { LayerApiError, LayerApiErrorType } from './errors.js';
export type { LayerErrorEnum } from './errorEnum.js';
