// `#transport` on Node (package.json "imports", condition `node`). A request goes out over the
// global fetch (Node's built-in undici: nothing to load) unless it needs the undici package: an
// explicit `dispatcher` (MockAgent, ProxyAgent, mTLS), which always wins, or a proxy set in
// HTTPS_PROXY / HTTP_PROXY (proxyEnv.ts). Then undici is imported on that first need, once.
import { fetchExchange } from './fetchExchange.js';
import type { HttpExchange, PlatformFetch, TransportRuntime } from './http.js';
import { environmentProxy } from './proxyEnv.js';
import { undiciExchange, undiciFetch } from './undiciExchange.js';

/** `'undici'`: Node, where a `dispatcher` is honoured. */
export const transportRuntime: TransportRuntime = 'undici';

/** One HTTP exchange with a bounded time and a bounded body, over fetch or undici as it needs. */
export const httpRequest: HttpExchange = (init, options) => {
  const via = options.dispatcher ?? environmentProxy();
  return via === undefined ? fetchExchange(init, options) : undiciExchange(init, options, via);
};

/** `client.fetch` on Node: the same choice as token requests, so an API call takes the same way. */
export const platformFetch: PlatformFetch = (url, init, dispatcher) => {
  const via = dispatcher ?? environmentProxy();
  return via === undefined ? (fetch(url, init as RequestInit) as unknown as ReturnType<PlatformFetch>) : undiciFetch(url, init, via);
};
