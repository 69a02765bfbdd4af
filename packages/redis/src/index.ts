// @fintoken/redis: every public export by name.
export { createRedisStore } from './store.js';
export type { IoredisLike, NodeRedisLike, RedisStore, RedisStoreOptions } from './types.js';
