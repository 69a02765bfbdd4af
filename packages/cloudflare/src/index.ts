// @fintoken/cloudflare: every public export by name.
export { createDurableObjectStore } from './store.js';
export type { DurableObjectStoreOptions } from './store.js';
export { FintokenTokenObject } from './object.js';
export type { DurableObjectNamespaceLike, DurableObjectStateLike, DurableObjectStorageLike, DurableObjectStubLike } from './types.js';
