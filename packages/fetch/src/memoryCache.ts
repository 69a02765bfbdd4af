import { AbortError, type CacheGetOptions, type FintokenEvent, type LoadReason, type Token } from '@fintoken/core/cache';
import type { TabSharing } from './createAuthFetch.js';

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
 * Core's `TokenCache` semantics for the one token of a page, in a fraction of its bytes (it is
 * most of the single-tab bundle): one request for concurrent misses, refresh-ahead with the
 * valid token served meanwhile (no second background attempt within 5 s), never an expired
 * token, and a forced refresh that does not replace a token someone already replaced (so a storm
 * of 401s makes one request). Built from the same context as a `tabs` cache (`TabSharing`).
 */
export function createMemoryCache({ key, fetcher, refreshAheadMs, now, onEvent }: Parameters<TabSharing>[0]): OneTokenCache {
  let current: Token | undefined;
  // The load in flight; delete() drops it, so a load started before must not bring its token back.
  let inflight: Promise<Token> | undefined;
  // No background refresh before this instant (one attempt per 5 s after a failed one).
  let retryAt = 0;
  const valid = () => (current && now() < current.expiresAt ? current : undefined);
  const event = (type: FintokenEvent['type'], fields?: Partial<FintokenEvent>) => onEvent({ type, key, ...fields });

  // Start the token request, or join the one in flight. `avoid` is a token an API rejected.
  const load = (reason: LoadReason, avoid?: string, again?: boolean): Promise<Token> => {
    // A load started before the rejection may bring back the rejected token: then load once more.
    if (inflight) return avoid === undefined || again ? inflight : inflight.then((t) => (t.accessToken !== avoid ? t : load(reason, avoid, true)));
    const started = now();
    const done = (type: FintokenEvent['type'], fields: Partial<FintokenEvent>) => {
      if (inflight === flight) inflight = undefined;
      event(type, { reason, durationMs: now() - started, ...fields });
    };
    // The fetcher validates the token (one that arrives expired is a ResponseValidationError).
    const run = async () => {
      try {
        const token = await fetcher({ reason, rejectedToken: avoid });
        // Unless delete() came meanwhile. A new token may be refreshed ahead at once, as core's
        // TokenCache starts a new entry.
        if (inflight === flight) (current = token), (retryAt = 0);
        done(reason === 'miss' ? 'token.fetched' : 'token.refreshed', { expiresAt: token.expiresAt });
        return token;
      } catch (error) {
        done('token.failed', { error: error as never });
        throw error;
      }
    };
    const flight = (inflight = run());
    return flight;
  };

  return {
    async get({ forceRefresh, rejectedToken, signal } = {}) {
      const t = now();
      const token = valid();
      if (token && !forceRefresh) {
        const ahead = t >= refreshAt(token, refreshAheadMs);
        if (ahead && t >= retryAt && !inflight) {
          retryAt = t + 5_000;
          load('refresh-ahead').catch(() => undefined);
        }
        event('cache.hit', ahead ? { reason: 'refresh-ahead' } : {});
        return token;
      }
      if (signal?.aborted) throw aborted();
      // Past here a valid token means a forced refresh: if someone already replaced the token the
      // API rejected, that replacement is the answer.
      if (token && token.accessToken !== (rejectedToken ?? token.accessToken)) return token;
      if (!forceRefresh && !current) event('cache.miss');
      const promise = forceRefresh ? load('forced', rejectedToken ?? current?.accessToken) : load(current ? 'expired' : 'miss');
      // The shared request goes on for the other callers; only this one stops waiting.
      return Promise.race([promise, new Promise<never>((_, reject) => signal?.addEventListener('abort', () => reject(aborted()), { once: true }))]);
    },
    peek: valid,
    delete() {
      current = inflight = undefined;
    },
  };
}
