// @fintoken/fetch/tabs: opt-in tab sharing, composed onto createAuthFetch with `tabs: shareAcrossTabs()`.
export { shareAcrossTabs } from './shareAcrossTabs.js';
export type { ShareAcrossTabsOption } from './tabStore.js';
