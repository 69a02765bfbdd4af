import { ConfigurationError, type Clock, type EventListener, type FintokenEvent, type Token, type TokenFetcher } from '@fintoken/core/cache';
import { createMemoryCache, type OneTokenCache } from './memoryCache.js';
import { createOriginCheck } from './origins.js';
import { isReplayable } from './replayable.js';
import { requestToken, type FetchFunction } from './tokenEndpoint.js';
import { toToken, type TokenResponse } from './tokenResponse.js';

export interface AuthFetchOptions {
  /** The app's own token endpoint (e.g. `@fintoken/express`'s `businessTokenHandler`). */
  tokenUrl?: string | URL;
  /** Instead of `tokenUrl`: any async source of a token response (or a core `Token`). */
  getToken?: () => Promise<TokenResponse | Token>;
  /**
   * Origins the token may be sent to besides the page's own (`location.origin`), e.g.
   * `['https://sandbox.layerfi.com']`. A call to any other origin is refused (`InvalidRequestError`)
   * before anything is sent. Where there is no `location` (Node, edge runtimes) it is required.
   */
  origins?: string[];
  /** The fetch to wrap. Default: the global `fetch`, looked up on every call. */
  fetch?: FetchFunction;
  /** Refresh this long before expiry, capped at a third of the token's lifetime. Default 30,000 ms. */
  refreshAheadMs?: number;
  /** Merged into the token request (`method`, `headers`, `credentials`, ...). */
  tokenRequestInit?: RequestInit;
  /** Give up on a token request after this long (`TimeoutError`); 0 for never. Default 30,000 ms. */
  tokenTimeoutMs?: number;
  /** `token.fetched`, `token.refreshed`, `token.failed`, `cache.hit`, `cache.miss`, ...; never a token. */
  onEvent?: EventListener;
  /** Share the token between the tabs of this origin: `shareAcrossTabs()` from `@fintoken/fetch/tabs`. */
  tabs?: TabSharing;
  /** Clock in epoch ms, for tests. Default `Date.now`. */
  now?: Clock;
}

/**
 * Builds the token cache that the tabs of an origin share; made by `shareAcrossTabs()` from
 * `@fintoken/fetch/tabs`, so a page that does not share pays nothing for it.
 */
export type TabSharing = (context: {
  key: string;
  fetcher: TokenFetcher;
  refreshAheadMs: number;
  now: Clock;
  onEvent: EventListener;
  /** Tell the `authFetch`'s subscribers that its token changed (e.g. another tab cleared it). */
  changed: () => void;
}) => OneTokenCache & { close(): void };

/** Options of `authFetch.token()`. */
export interface TokenOptions {
  /** Get a new token unless `rejectedToken` was already replaced. */
  forceRefresh?: boolean;
  /** The token an API just rejected (with `forceRefresh`). */
  rejectedToken?: string;
  signal?: AbortSignal;
}

/** `fetch` with a Bearer token, plus access to that token. */
export interface AuthFetch {
  (input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
  /** The current token (fetched or refreshed as needed). Its `toJSON` and inspect show no token. */
  token(options?: TokenOptions): Promise<Token>;
  /** The current token if it is still valid, without fetching. */
  peek(): Token | undefined;
  /** Call `listener` whenever the token changes (fetched, refreshed, taken from another tab, cleared). */
  subscribe(listener: () => void): () => void;
  /** Forget the token (e.g. on sign-out), in every tab of the partition with `tabs`; the next call fetches a new one. */
  clear(): void;
  /** Stop listening to other tabs. */
  close(): void;
  /** The `refreshAheadMs` in force. */
  readonly refreshAheadMs: number;
}

/**
 * Wrap `fetch` so every call carries `Authorization: Bearer <token>` from the app's token
 * endpoint: one token request for any number of concurrent calls, refreshed ahead of expiry,
 * and on a 401 one refresh and one retry (RFC 6750 §3.1). The token lives in memory only, and
 * goes only to the page's own origin and to `origins`.
 *
 * @example
 * const authFetch = createAuthFetch({ tokenUrl: '/api/business-token', origins: ['https://sandbox.layerfi.com'] });
 * const res = await authFetch('https://sandbox.layerfi.com/v1/businesses/b-1');
 */
export function createAuthFetch(options: AuthFetchOptions): AuthFetch {
  const { tokenUrl, getToken, now = Date.now, refreshAheadMs = 30_000 } = options;
  const invalid =
    (tokenUrl === undefined) === (getToken === undefined) ? 'exactly one of tokenUrl and getToken' : refreshAheadMs >= 0 ? '' : 'refreshAheadMs >= 0';
  if (invalid) throw new ConfigurationError(`createAuthFetch needs ${invalid}`);
  const checkOrigin = createOriginCheck(options.origins);
  const baseFetch: FetchFunction = options.fetch ?? ((input, init) => fetch(input, init));
  const key = `fintoken:${tokenUrl ?? 'getToken'}`;
  const listeners = new Set<() => void>();
  const changed = () => listeners.forEach((listener) => listener());
  const onEvent = (event: FintokenEvent) => {
    try {
      options.onEvent?.(event);
    } catch {
      // A faulty listener must not break token delivery.
    }
    if (event.type === 'token.fetched' || event.type === 'token.refreshed' || event.reason === 'shared-store') changed();
  };
  const fetcher: TokenFetcher = async ({ rejectedToken }) =>
    getToken ? toToken(await getToken(), now()) : requestToken(baseFetch, options, now, rejectedToken);
  // One tab keeps its token in memory; `tabs` shares it between the tabs of the origin.
  const cache: ReturnType<TabSharing> | OneTokenCache = (options.tabs ?? createMemoryCache)({ key, fetcher, refreshAheadMs, now, onEvent, changed });
  const token = (tokenOptions?: TokenOptions) => cache.get(tokenOptions);

  const authFetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    // An explicit Authorization is the caller's choice: no token, no retry.
    if (headers.has('authorization')) return baseFetch(input, init);
    // Before any token is asked for: a refused URL gets no token, no token request, no refresh.
    checkOrigin(input);
    const signal = init?.signal ?? undefined;
    const send = (t: Token) => {
      headers.set('authorization', `Bearer ${t.accessToken}`);
      return baseFetch(input, { ...init, headers });
    };
    const first = await token({ signal });
    const response = await send(first);
    if (response.status !== 401 || !isReplayable(input, init)) return response;
    response.body?.cancel().catch(() => undefined);
    // Refreshes only if `first` is still the current token: N concurrent 401s, one token request.
    return send(await token({ forceRefresh: true, rejectedToken: first.accessToken, signal }));
  };
  return Object.assign(authFetch, {
    token,
    peek: () => cache.peek(),
    subscribe(listener: () => void) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    clear() {
      void cache.delete();
      changed();
    },
    close: () => (cache as { close?(): void }).close?.(),
    refreshAheadMs,
  });
}
