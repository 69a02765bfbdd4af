// @fintoken/thredfi: every public export by name.
export { createThredfiClient } from './client.js';
export type { ThredfiClient } from './client.js';
export type { ThredfiClientOptions, ThredfiEnvironment } from './options.js';
