import { AuthenticationError, type Clock, type Token } from '@fintoken/core/cache';
import type { AuthFetch } from './createAuthFetch.js';
import { refreshAt } from './memoryCache.js';

/** What a UI shows: a token only while it is valid. One object per change (`useSyncExternalStore`). */
export interface TokenState {
  status: 'loading' | 'ready' | 'error';
  /** The access token; set only when `status` is `'ready'`, and never once it has expired. */
  token?: string;
  /** Epoch ms on the local clock. */
  expiresAt?: number;
  error?: Error;
}

/** A live token for UI frameworks: `subscribe` + `getSnapshot`, the shape `useSyncExternalStore` takes. */
export interface TokenWatch {
  subscribe(listener: () => void): () => void;
  getSnapshot(): TokenState;
  /** Get a new token now, e.g. after the API refused this one (its fingerprint goes to the endpoint). */
  refresh(): Promise<void>;
}

export interface WatchTokenOptions {
  /** The clock the `authFetch` was given. Default `Date.now`. */
  now?: Clock;
}

const LOADING: TokenState = Object.freeze({ status: 'loading' });

/**
 * Keep a token live for a UI while anyone subscribes: fetch it, ask for the next one when
 * `authFetch` starts refreshing ahead, drop it at expiry if no replacement came (so a view never
 * holds an expired token), retry failures with backoff. Timers run only while subscribed; every
 * subscriber shares the `authFetch`'s one token request.
 *
 * @example
 * const watch = watchToken(createAuthFetch({ tokenUrl: '/api/business-token' }));
 * const stop = watch.subscribe(() => render(watch.getSnapshot()));
 */
export function watchToken(authFetch: AuthFetch, { now = Date.now }: WatchTokenOptions = {}): TokenWatch {
  const listeners = new Set<() => void>();
  let state = LOADING;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;
  let unsubscribe: (() => void) | undefined;

  const set = (next: TokenState) => {
    if (next.status === state.status && next.token === state.token && next.error === state.error) return;
    state = next;
    listeners.forEach((listener) => listener());
  };
  const schedule = (at: number) => {
    clearTimeout(timer);
    // setTimeout takes at most 2^31-1 ms; a later instant is reached by waking up early.
    if (listeners.size > 0) timer = setTimeout(() => void load(), Math.min(Math.max(0, at - now()), 2 ** 31 - 1));
  };
  const show = (token: Token) => {
    failures = 0;
    set({ status: 'ready', token: token.accessToken, expiresAt: token.expiresAt });
    const at = refreshAt(token, authFetch.refreshAheadMs);
    // Inside the refresh-ahead window authFetch is fetching the next token and notifies us when it
    // comes. A backend may still answer with the token it is itself replacing: then ask again,
    // sooner as expiry nears (a quarter of the time left, 250 ms to 5 s), and drop it at expiry.
    const left = token.expiresAt - now();
    schedule(now() < at ? at : now() + Math.min(left, Math.max(250, Math.min(5_000, left / 4))));
  };
  const load = (forceRefresh?: boolean) => {
    const valid = authFetch.peek();
    if (valid === undefined && state.status === 'ready') set(LOADING);
    return authFetch.token(forceRefresh ? { forceRefresh, ...(state.token ? { rejectedToken: state.token } : {}) } : undefined).then(
      show,
      (error: Error & { retryAfterMs?: number }) => {
        failures += 1;
        set({ status: 'error', error });
        // A session that may not get a token (401/403) waits for refresh(); others retry with backoff.
        if (!(error instanceof AuthenticationError)) schedule(now() + Math.max(error.retryAfterMs ?? 0, Math.min(60_000, 500 * 2 ** failures)));
      },
    );
  };
  const changed = () => {
    const token = authFetch.peek();
    if (token === undefined) void load();
    else show(token);
  };

  return {
    subscribe(listener) {
      listeners.add(listener);
      if (listeners.size === 1) {
        unsubscribe = authFetch.subscribe(changed);
        void load();
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size > 0) return;
        clearTimeout(timer);
        unsubscribe?.();
      };
    },
    getSnapshot: () => (state.expiresAt !== undefined && now() >= state.expiresAt ? LOADING : state),
    refresh: () => load(true),
  };
}
