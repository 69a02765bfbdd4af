// @fintoken/fetch/tabs: opt-in tab sharing, composed onto createAuthFetch with `tabs: shareAcrossTabs({ partition })`.
export { shareAcrossTabs } from './shareAcrossTabs.js';
export type { ShareAcrossTabsOptions } from './tabStore.js';
