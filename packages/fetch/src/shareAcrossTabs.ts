import { ConfigurationError, TokenCache, type Token } from '@fintoken/core/cache';
import type { TabSharing } from './createAuthFetch.js';
import { MAX_LEAD_SHARE } from './memoryCache.js';
import { createTabStore, type ShareAcrossTabsOptions } from './tabStore.js';

/**
 * Share one token between the tabs of this origin that belong to one signed-in identity
 * (`partition`): tabs starting cold elect one fetcher (`BroadcastChannel` + Web Locks), a tab
 * opened later asks the open ones, a refresh in one tab reaches all, and `authFetch.clear()`
 * (sign-out) clears every tab of the partition. Core's `TokenCache` does the cross-tab
 * single-flight over a tab store exactly as it does for a fleet over Redis. An opt-in entry, so
 * pages that don't share don't ship it.
 *
 * @example
 * import { createAuthFetch } from '@fintoken/fetch';
 * import { shareAcrossTabs } from '@fintoken/fetch/tabs';
 * const authFetch = createAuthFetch({ tokenUrl: '/api/business-token', tabs: shareAcrossTabs({ partition: user.id }) });
 */
export function shareAcrossTabs(options: ShareAcrossTabsOptions): TabSharing {
  // Without a partition, a tab left open by a user who signed out would answer the next user's pages.
  if (typeof options?.partition !== 'string' || !options.partition) {
    throw new ConfigurationError('shareAcrossTabs needs { partition }: the signed-in user (or session) id');
  }
  return ({ key, fetcher, refreshAheadMs, now, onEvent, changed }) => {
    let cache: TokenCache;
    // A new cache after every clear (here or in another tab), so a token request already under
    // way then cannot put its token back: its callers get it, but it is neither kept nor announced.
    const stale = new WeakSet<Token>();
    const fresh = () =>
      // No bound on forced replacements here (forcedRefreshIntervalMs: 0), as in the single-tab
      // cache: the token endpoint bounds them for every tab and page.
      (cache = new TokenCache({
        refreshAhead: { minMs: refreshAheadMs, ratio: 0, maxRatio: MAX_LEAD_SHARE },
        now,
        store,
        onEvent,
        maxEntries: 1,
        forcedRefreshIntervalMs: 0,
      }));
    const store = createTabStore(
      options,
      key,
      now,
      () => {
        // Another tab of the partition cleared the token (sign-out): forget ours too, and say so.
        fresh();
        changed();
      },
      (token) => stale.has(token),
    );
    fresh();
    return {
      get(getOptions) {
        const at = cache;
        return cache.get(
          key,
          async (context) => {
            const token = await fetcher(context);
            if (cache !== at) stale.add(token);
            return token;
          },
          getOptions,
        );
      },
      peek: () => cache.peek(key),
      delete() {
        const old = cache;
        fresh();
        return old.delete(key);
      },
      close: () => store?.close(),
    };
  };
}
