/**
 * Where one token lives in Redis. The cache key sits in a hash tag (`{…}`), so a token's entry
 * and its refresh lock always hash to one slot: on Redis Cluster a script or `MULTI` may touch
 * both, and each token's traffic goes to its own shard (tokens of different businesses spread
 * over the cluster). The tag comes before the kind (`:token`, `:lock`): whatever braces the
 * prefix or the key contain, the part Redis hashes (up to the first `}` after the first `{`) is
 * the same for both keys (Redis Cluster specification, "Hash tags").
 */
export function tokenKey(prefix: string, key: string): string {
  return `${prefix}{${key}}:token`;
}

export function lockKey(prefix: string, key: string): string {
  return `${prefix}{${key}}:lock`;
}

/** The channel every store of one prefix announces stored keys on (classic pub/sub: see README). */
export function updatesChannel(prefix: string): string {
  return `${prefix}updates`;
}
