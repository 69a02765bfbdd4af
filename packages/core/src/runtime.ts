// The one import of `#transport`: package.json "imports" maps it, by condition, to http.node
// (undici) or http.fetch (global fetch). Re-declared with explicit types so that no .d.ts
// names `#transport` (a consumer's type checker need not resolve it).
import * as selected from '#transport';
import type { HttpExchange, PlatformFetch, TransportRuntime } from './http.js';

/** Which transport this runtime got: `'undici'` on Node, `'fetch'` everywhere else. */
export const transportRuntime: TransportRuntime = selected.transportRuntime;
/** One token-endpoint exchange over the selected transport (bounded time and body, typed errors). */
export const httpRequest: HttpExchange = selected.httpRequest;
export const platformFetch: PlatformFetch = selected.platformFetch;
