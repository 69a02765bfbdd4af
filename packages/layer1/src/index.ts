// @fintoken/layer1: every public export by name.
export { createLayer1Client } from './client.js';
export type { Layer1Client, Layer1TokenRequest } from './client.js';
export type { Layer1ClientOptions } from './options.js';
