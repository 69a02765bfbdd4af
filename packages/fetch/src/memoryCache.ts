import {
  AbortError,
  ResponseValidationError,
  type CacheGetOptions,
  type EventListener,
  type FintokenEvent,
  type LoadReason,
  type Token,
  type TokenFetcher,
} from '@fintoken/core/cache';

/**
 * The one token of an `authFetch`. `createMemoryCache` is the small single-tab one;
 * `@fintoken/fetch/tabs` builds one on `@fintoken/core`'s `TokenCache` over a tab store.
 */
export interface OneTokenCache {
  get(options?: CacheGetOptions): Promise<Token>;
  /** The token if it is still valid, without fetching. */
  peek(): Token | undefined;
  delete(): unknown;
}

/**
 * The most of a token's lifetime the page refreshes ahead by: a third, where the server's cache
 * caps its own lead at half (DESIGN.md). The page's tokens come from that server, so the page asks
 * only once the server's refresh window is open, and the endpoint (`fresh`) answers with the
 * replacement instead of the token it is replacing: one endpoint request per token.
 */
export const MAX_LEAD_SHARE = 1 / 3;

/** The instant to refresh at: `leadMs` before expiry, but at most a third of the lifetime. */
export const refreshAt = (token: Token, leadMs: number): number =>
  token.expiresAt - Math.min(leadMs, (token.expiresAt - (token.issuedAt ?? token.expiresAt)) * MAX_LEAD_SHARE);

export const aborted = (): AbortError => new AbortError('The request was aborted');

/**
 * Core's `TokenCache` semantics for the one token of a page, in a fraction of its bytes (the
 * single-tab bundle budget is 2 kB): one request for concurrent misses, refresh-ahead with the
 * valid token served meanwhile (no second background attempt within 5 s), never an expired
 * token, and a forced refresh that does not replace a token someone already replaced (so a storm
 * of 401s makes one request).
 */
export function createMemoryCache(key: string, fetcher: TokenFetcher, leadMs: number, now: () => number, emit: EventListener): OneTokenCache {
  let current: Token | undefined;
  let inflight: Promise<Token> | undefined;
  let retryAt = 0;
  // Bumped by delete(): a load started before it must not bring the forgotten token back.
  let generation = 0;
  const valid = () => (current && now() < current.expiresAt ? current : undefined);

  const load = (reason: LoadReason, avoid?: string, joined?: boolean): Promise<Token> => {
    // A load started before a rejection may bring back the rejected token: then load once more.
    if (inflight) return avoid === undefined || joined ? inflight : inflight.then((t) => (t.accessToken !== avoid ? t : load(reason, avoid, true)));
    const started = now();
    const mine = ++generation;
    const event = (type: FintokenEvent['type'], extra: Partial<FintokenEvent>) => {
      if (generation === mine) inflight = undefined;
      emit({ type, key, reason, durationMs: now() - started, ...extra });
    };
    return (inflight = Promise.resolve({ reason, rejectedToken: avoid })
      .then(fetcher)
      .then(
        (token) => {
          if (!(token.expiresAt > now())) throw new ResponseValidationError('The token had expired on arrival', { field: 'expires_in' });
          // A new token may be refreshed ahead at once, as core's TokenCache starts a new entry.
          if (generation === mine) (current = token), (retryAt = 0);
          event(reason === 'miss' ? 'token.fetched' : 'token.refreshed', { expiresAt: token.expiresAt });
          return token;
        },
      )
      .catch((error: unknown) => {
        event('token.failed', { error: error as never });
        throw error;
      }));
  };

  return {
    get({ forceRefresh, rejectedToken, signal } = {}) {
      const t = now();
      let token = valid();
      if (token && !forceRefresh) {
        const fresh = t < refreshAt(token, leadMs);
        if (!fresh && t >= retryAt && !inflight) {
          retryAt = t + 5_000;
          load('refresh-ahead').catch(() => undefined);
        }
        emit({ type: 'cache.hit', key, ...(fresh ? {} : { reason: 'refresh-ahead' }) });
        return Promise.resolve(token);
      }
      if (signal?.aborted) return Promise.reject(aborted());
      if (!forceRefresh && !current) emit({ type: 'cache.miss', key });
      const promise = forceRefresh
        ? // Someone already replaced the token the API rejected: that replacement is the answer.
          token && rejectedToken !== undefined && token.accessToken !== rejectedToken
          ? Promise.resolve(token)
          : load('forced', rejectedToken ?? current?.accessToken)
        : load(current ? 'expired' : 'miss');
      // The shared request goes on for the other callers; only this one stops waiting.
      return signal
        ? new Promise((resolve, reject) => {
            signal.addEventListener('abort', () => reject(aborted()), { once: true });
            promise.then(resolve, reject);
          })
        : promise;
    },
    peek: valid,
    delete() {
      current = inflight = undefined;
      retryAt = 0;
      generation += 1;
    },
  };
}
