export { resetBusinessTokens, useBusinessToken } from './useBusinessToken.js';
export type { BusinessToken, UseBusinessTokenOptions } from './useBusinessToken.js';
export type { TokenState } from '@fintoken/fetch';
