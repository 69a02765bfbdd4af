// @fintoken/thredfi: every public export by name.
export { createThredfiClient } from './client.js';
export type { ThredfiClient } from './client.js';
export type { ThredfiClientOptions } from './options.js';
export type { ThredfiEnvironment } from './environments.js';
