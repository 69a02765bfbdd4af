import { createAuthFetch, type AuthFetch, type AuthFetchOptions } from './createAuthFetch.js';

/**
 * `() => Promise<string>` for UI kits that ask for a token getter (e.g. Layer's React
 * `businessAccessToken`), sharing the cache of an existing `authFetch` when given one.
 *
 * @example
 * <LayerProvider businessAccessToken={tokenProvider(authFetch)} />
 */
export function tokenProvider(source: AuthFetch | AuthFetchOptions): () => Promise<string> {
  const authFetch = typeof source === 'function' ? source : createAuthFetch(source);
  return async () => (await authFetch.token()).accessToken;
}
