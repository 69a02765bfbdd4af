import { TokenCache } from '@fintoken/core/cache';
import type { TabSharing } from './createAuthFetch.js';
import { MAX_LEAD_SHARE } from './memoryCache.js';
import { createTabStore, type ShareAcrossTabsOption } from './tabStore.js';

/**
 * Share one token between the tabs of this origin (`BroadcastChannel` + Web Locks): tabs starting
 * cold elect one fetcher, a tab opened later asks the open ones, and a refresh in one tab reaches
 * all. Core's `TokenCache` does the cross-tab single-flight over a tab store exactly as it does
 * for a fleet over Redis. An opt-in entry, so pages that don't share don't ship it.
 *
 * @example
 * import { createAuthFetch } from '@fintoken/fetch';
 * import { shareAcrossTabs } from '@fintoken/fetch/tabs';
 * const authFetch = createAuthFetch({ tokenUrl: '/api/business-token', tabs: shareAcrossTabs() });
 */
export function shareAcrossTabs(option: ShareAcrossTabsOption = {}): TabSharing {
  return ({ key, fetcher, refreshAheadMs, now, onEvent }) => {
    const store = createTabStore(option, key);
    const cache = new TokenCache({ refreshAhead: { minMs: refreshAheadMs, ratio: 0, maxRatio: MAX_LEAD_SHARE }, now, store, onEvent, maxEntries: 1 });
    return {
      get: (options) => cache.get(key, fetcher, options),
      peek: () => cache.peek(key),
      delete: () => cache.delete(key),
      close: () => store?.close(),
    };
  };
}
