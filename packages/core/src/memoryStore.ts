import { BoundedMap } from './lru.js';
import type { Token, TokenStore } from './types.js';

interface Slot {
  token: Token;
  referenced: boolean;
}

/**
 * A `TokenStore` in process memory, bounded (CLOCK eviction). `TokenCache` keeps its own fast
 * in-memory layer; this is for code that wants the store interface itself.
 */
export function createMemoryStore(options: { maxEntries?: number; now?: () => number } = {}): TokenStore {
  const map = new BoundedMap<Slot>(options.maxEntries ?? 10_000);
  const now = options.now ?? Date.now;
  return {
    async get(key) {
      const slot = map.get(key);
      if (slot === undefined) return undefined;
      if (slot.token.expiresAt <= now()) {
        map.delete(key);
        return undefined;
      }
      slot.referenced = true;
      return slot.token;
    },
    async set(key, token) {
      map.set(key, { token, referenced: false });
    },
    async delete(key) {
      map.delete(key);
    },
  };
}
