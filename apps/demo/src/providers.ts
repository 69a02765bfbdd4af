import type { EndpointName, Fault } from '@fintoken/sandbox';

export const providerIds = ['layer', 'thredfi', 'asset', 'layer1'] as const;
export type ProviderId = (typeof providerIds)[number];

/** Layer1 has no business-scoped tokens (seed: layer1-authentication), so it stays server-side. */
export const businessProviders = ['layer', 'thredfi', 'asset'] as const;
export type BusinessProviderId = (typeof businessProviders)[number];

/**
 * The providers whose business tokens the page may hold (a token endpoint and the API proxy).
 * Not Thredfi: its business tokens live about 24 hours and its docs say to "store securely and
 * never expose in client-side code" (seed: thredfi-business-scoped-token, "Token Lifecycle"), so
 * its card calls the API through the demo server, whose client keeps the token.
 */
export const browserTokenProviders = ['layer', 'asset'] as const;
export type BrowserTokenProviderId = (typeof browserTokenProviders)[number];
export const isBrowserTokenProvider = (value: unknown): value is BrowserTokenProviderId => browserTokenProviders.includes(value as BrowserTokenProviderId);

export const isProviderId = (value: unknown): value is ProviderId => providerIds.includes(value as ProviderId);
export const isBusinessProvider = (value: unknown): value is BusinessProviderId => businessProviders.includes(value as BusinessProviderId);

export interface ProviderSpec {
  id: ProviderId;
  name: string;
  /** The API call the page makes with its business token (through the same-origin proxy). */
  apiPath?: (businessId: string) => string;
  /** The server-side call, and which token it uses. */
  serverCall: { token: 'client' | 'business'; path: (businessId: string | undefined) => string };
  /** Sandbox endpoints the fault buttons target. */
  endpoints: { token: EndpointName; api: EndpointName };
}

/** What each provider's card does. The API paths are the ones the sandbox serves (see its README). */
export const providerSpecs: Record<ProviderId, ProviderSpec> = {
  layer: {
    id: 'layer',
    name: 'Layer',
    apiPath: (b) => `/v1/businesses/${encodeURIComponent(b)}`,
    // GET /whoami takes the client token: the one that must never reach a browser.
    serverCall: { token: 'client', path: () => '/whoami' },
    endpoints: { token: 'layer.businessToken', api: 'layer.business' },
  },
  thredfi: {
    id: 'thredfi',
    name: 'Thredfi',
    apiPath: (b) => `/v1/platform/businesses/${encodeURIComponent(b)}/customers/`,
    serverCall: { token: 'business', path: (b) => `/v1/platform/businesses/${encodeURIComponent(b ?? '')}/customers/` },
    endpoints: { token: 'thredfi.businessToken', api: 'thredfi.customers' },
  },
  asset: {
    id: 'asset',
    name: 'Asset',
    apiPath: (b) => `/v0/businesses/${encodeURIComponent(b)}`,
    serverCall: { token: 'business', path: (b) => `/v0/businesses/${encodeURIComponent(b ?? '')}` },
    endpoints: { token: 'asset.token', api: 'asset.business' },
  },
  layer1: {
    id: 'layer1',
    name: 'Layer1',
    serverCall: { token: 'client', path: () => '/api/v1/tenants' },
    endpoints: { token: 'layer1.token', api: 'layer1.api' },
  },
};

export const faultKinds = ['unauthorized', 'burst503', 'rateLimit429', 'latency', 'apiError'] as const;
export type FaultKind = (typeof faultKinds)[number];

/**
 * The fault buttons. Token-endpoint faults show the server's retries (core retries 5xx and 429,
 * honouring Retry-After); API faults show what the browser sees.
 */
export const faultPlans: Record<FaultKind, { target: 'token' | 'api'; fault: Fault; label: string }> = {
  // One-shot: the next API call gets a 401, @fintoken/fetch refreshes and retries once.
  unauthorized: { target: 'api', fault: { status: 401, times: 1 }, label: '401 once on the API' },
  // Three 503s: core's default retry (4 attempts) rides them out.
  burst503: { target: 'token', fault: { status: 503, times: 3 }, label: '503 ×3 on the token endpoint' },
  rateLimit429: { target: 'token', fault: { status: 429, retryAfter: 1, times: 1 }, label: '429 Retry-After: 1 on the token endpoint' },
  latency: { target: 'api', fault: { latencyMs: 1500, times: 1 }, label: '+1.5 s latency on the API' },
  apiError: { target: 'api', fault: { status: 503, times: 1 }, label: '503 once on the API' },
};

export const isFaultKind = (value: unknown): value is FaultKind => faultKinds.includes(value as FaultKind);
