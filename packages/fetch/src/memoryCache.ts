import { AbortError, ConfigurationError, ResponseValidationError, type EventListener, type FintokenEvent, type Token } from '@fintoken/core/cache';

/** Why a token is being fetched (core's `LoadReason`). */
export type LoadReason = 'miss' | 'expired' | 'refresh-ahead' | 'forced';

/** Fetches a token; never called concurrently. On a forced refresh, `rejectedToken` is the one replaced. */
export type TokenFetcher = (context: { reason: LoadReason; rejectedToken?: string }) => Promise<Token>;

export interface GetOptions {
  forceRefresh?: boolean;
  rejectedToken?: string;
  signal?: AbortSignal;
}

/**
 * What `createAuthFetch` needs of a cache holding one token. `@fintoken/core`'s `TokenCache`
 * (which `@fintoken/fetch/tabs` plugs in) has this shape; `createMemoryCache` is the small one.
 */
export interface OneTokenCache {
  get(key: string, fetcher: TokenFetcher, options?: GetOptions): Promise<Token>;
  peek(key: string): Token | undefined;
  delete(key: string): unknown;
}

/** The instant to refresh at: `leadMs` before expiry, but at most half the lifetime (DESIGN.md). */
export const refreshAt = (token: Token, leadMs: number): number =>
  token.expiresAt - Math.min(leadMs, (token.expiresAt - (token.issuedAt ?? token.expiresAt)) / 2);

const aborted = () => new AbortError('The request was aborted by its AbortSignal');

/**
 * Core's `TokenCache` semantics for the one token of a page, in a fraction of its bytes (the
 * single-tab bundle budget is 2 kB): one request for concurrent misses, refresh-ahead with the
 * valid token served meanwhile, never an expired token, and a forced refresh that does not replace
 * a token someone already replaced (so a storm of 401s makes one request).
 */
export function createMemoryCache(leadMs: number, now: () => number, emit: EventListener): OneTokenCache {
  if (!(leadMs >= 0)) throw new ConfigurationError('refreshAheadMs: must be a number of ms >= 0');
  let current: Token | undefined;
  let inflight: Promise<Token> | undefined;
  let retryAt = 0;
  // Bumped by delete(): a load started before it must not bring the forgotten token back.
  let generation = 0;

  const load = (key: string, fetcher: TokenFetcher, reason: LoadReason, avoid?: string, joined?: boolean): Promise<Token> => {
    if (inflight) {
      // A load started before the rejection may bring back the rejected token: then load once more.
      return avoid === undefined || joined ? inflight : inflight.then((t) => (t.accessToken !== avoid ? t : load(key, fetcher, reason, avoid, true)));
    }
    const started = now();
    const event = (type: FintokenEvent['type'], extra?: Partial<FintokenEvent>) => emit({ type, key, reason, durationMs: now() - started, ...extra });
    const mine = ++generation;
    inflight = (async () => {
      // Run the fetcher after `inflight` is set, even if it throws synchronously.
      await undefined;
      try {
        const token = await fetcher(avoid === undefined ? { reason } : { reason, rejectedToken: avoid });
        if (!(token.expiresAt > now())) {
          throw new ResponseValidationError('The token endpoint returned a token that had already expired on arrival', { field: 'expires_in' });
        }
        if (generation === mine) {
          current = token;
          // A new token may be refreshed ahead at once (core's TokenCache starts a new entry too).
          retryAt = 0;
        }
        event(reason === 'miss' ? 'token.fetched' : 'token.refreshed', { expiresAt: token.expiresAt });
        return token;
      } catch (error) {
        event('token.failed', { error: error as never });
        throw error;
      } finally {
        if (generation === mine) inflight = undefined;
      }
    })();
    return inflight;
  };

  return {
    get(key, fetcher, options = {}) {
      const { signal } = options;
      const t = now();
      if (current && !options.forceRefresh && t < current.expiresAt) {
        const fresh = t < refreshAt(current, leadMs);
        if (!fresh && t >= retryAt && !inflight) {
          // No second background attempt for 5 s after a failure; the valid token is served meanwhile.
          retryAt = t + 5_000;
          load(key, fetcher, 'refresh-ahead').catch(() => undefined);
        }
        emit(fresh ? { type: 'cache.hit', key } : { type: 'cache.hit', key, reason: 'refresh-ahead' });
        return Promise.resolve(current);
      }
      if (signal?.aborted) return Promise.reject(aborted());
      const rejected = options.rejectedToken;
      let promise: Promise<Token>;
      if (options.forceRefresh) {
        // Someone already replaced the token the API rejected: that replacement is the answer.
        promise =
          rejected !== undefined && current && current.accessToken !== rejected && t < current.expiresAt
            ? Promise.resolve(current)
            : load(key, fetcher, 'forced', rejected ?? current?.accessToken);
      } else {
        if (!current) emit({ type: 'cache.miss', key });
        promise = load(key, fetcher, current ? 'expired' : 'miss');
      }
      if (!signal) return promise;
      // The shared request goes on for the other callers; only this one stops waiting.
      return new Promise((resolve, reject) => {
        signal.addEventListener('abort', () => reject(aborted()), { once: true });
        promise.then(resolve, reject);
      });
    },
    peek: () => (current && now() < current.expiresAt ? current : undefined),
    delete() {
      current = undefined;
      inflight = undefined;
      retryAt = 0;
      generation += 1;
    },
  };
}
