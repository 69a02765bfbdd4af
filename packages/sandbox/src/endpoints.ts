/**
 * Every emulated endpoint that counts requests and accepts injected faults. The JWKS and
 * discovery documents are deliberately absent: they are plumbing, not what clients are tested on.
 */
export const endpointNames = [
  'layer.token',
  'layer.whoami',
  'layer.businessToken',
  'layer.business',
  'layer.bankAccounts',
  'layer.bookkeepingStatus',
  'layer.accountingConfig',
  'layer.ledgerBalances',
  'thredfi.token',
  'thredfi.businessToken',
  'thredfi.customers',
  'asset.token',
  'asset.business',
  'layer1.token',
  'layer1.api',
] as const;

export type EndpointName = (typeof endpointNames)[number];

export const providerNames = ['layer', 'thredfi', 'asset', 'layer1'] as const;

export type ProviderName = (typeof providerNames)[number];

const endpointSet: ReadonlySet<string> = new Set(endpointNames);

export function isEndpointName(value: unknown): value is EndpointName {
  return typeof value === 'string' && endpointSet.has(value);
}
