// `#transport` everywhere but Node (package.json "imports", conditions `workerd`, `worker`,
// `edge-light`, `browser`, `deno`, `bun` and the default): the global fetch, under the same
// contract as on Node (fetchExchange.ts). A dispatcher is an undici object: refused, not ignored.
import { fetchExchange } from './fetchExchange.js';
import { dispatcherUnsupported, type HttpExchange, type PlatformFetch, type TransportRuntime } from './http.js';

export const transportRuntime: TransportRuntime = 'fetch';

/** One HTTP exchange over the global fetch with a bounded time and a bounded body. */
export const httpRequest: HttpExchange = async (init, options) => {
  if (options.dispatcher !== undefined) throw dispatcherUnsupported(options.provider);
  return fetchExchange(init, options);
};

/** The global fetch; a dispatcher cannot be honoured here, so it is refused rather than ignored. */
export const platformFetch: PlatformFetch = (url, init, dispatcher) => {
  if (dispatcher !== undefined) return Promise.reject(dispatcherUnsupported());
  return fetch(url, init as RequestInit) as unknown as ReturnType<PlatformFetch>;
};
