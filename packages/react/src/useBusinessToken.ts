import { createAuthFetch, watchToken, type AuthFetch, type AuthFetchOptions, type TokenState, type TokenWatch } from '@fintoken/fetch';
import { useCallback, useSyncExternalStore } from 'react';

export interface UseBusinessTokenOptions extends Partial<AuthFetchOptions> {
  /** Share the token of an existing `createAuthFetch(...)` instead of passing `tokenUrl`/`getToken`. */
  authFetch?: AuthFetch;
}

/** A live business token: `token` is set only while `status` is `'ready'`, and never once expired. */
export interface BusinessToken extends TokenState {
  /** Get a new token now, e.g. after the API refused this one (its fingerprint goes to your endpoint). */
  refresh(): Promise<void>;
}

interface Entry {
  watch: TokenWatch;
  authFetch: AuthFetch;
  /** Whether the hook created `authFetch` (and so closes it on reset). */
  owned: boolean;
  /** The unsubscribe of every component subscribed to `watch`. */
  stops: Set<() => void>;
}

// One watch per token source for the whole page: every component using the same `tokenUrl`
// shares one token and one endpoint request. Created on first subscribe (an effect), never
// during render, so server rendering touches no browser API. The map outlives any component,
// so a sign-out in a single-page app must empty it: resetBusinessTokens().
const entries = new Map<unknown, Entry>();
const LOADING: TokenState = { status: 'loading' };
const loading = () => LOADING;

// Bumped by resetBusinessTokens(): every mounted hook resubscribes, to a new entry.
let generation = 0;
const resets = new Set<() => void>();
const onReset = (listener: () => void) => {
  resets.add(listener);
  return () => void resets.delete(listener);
};
const currentGeneration = () => generation;

const keyOf = (o: UseBusinessTokenOptions): unknown => o.authFetch ?? o.getToken ?? String(o.tokenUrl);

function entryFor(options: UseBusinessTokenOptions): Entry {
  const key = keyOf(options);
  let entry = entries.get(key);
  if (entry === undefined) {
    const authFetch = options.authFetch ?? createAuthFetch(options as AuthFetchOptions);
    entry = { watch: watchToken(authFetch, options), authFetch, owned: options.authFetch === undefined, stops: new Set() };
    entries.set(key, entry);
  }
  return entry;
}

/**
 * Forget every business token the hooks hold, e.g. on sign-out: each token source is stopped and
 * cleared (`authFetch.clear()`, which reaches every tab of the partition with `tabs`), those the
 * hooks created are closed, and mounted components start over with a new source built from their
 * current options (the next user's `tabs` partition, say). An `authFetch` you passed is cleared,
 * not closed. Call it after your server has ended the session.
 *
 * @example
 * await fetch('/api/session', { method: 'DELETE' });
 * resetBusinessTokens();
 */
export function resetBusinessTokens(): void {
  const old = [...entries.values()];
  entries.clear();
  generation += 1;
  for (const entry of old) {
    // Stop the watch first: clearing a watched authFetch would make it ask for a token again.
    for (const stop of entry.stops) stop();
    entry.authFetch.clear();
    if (entry.owned) entry.authFetch.close();
  }
  resets.forEach((listener) => listener());
}

/**
 * The current business-scoped token from your backend's token endpoint, kept fresh: it changes
 * before the old one expires, never to an expired value, with one endpoint request for every
 * component (and every tab, with `tabs: shareAcrossTabs({ partition })` from `@fintoken/fetch/tabs`).
 * The options of the first component to use a `tokenUrl` apply to it, until `resetBusinessTokens()`.
 *
 * @example
 * const { token } = useBusinessToken({ tokenUrl: '/api/layer/business-token' });
 * return token ? <LayerProvider businessId={id} businessAccessToken={token} environment="sandbox">…</LayerProvider> : null;
 */
export function useBusinessToken(options: UseBusinessTokenOptions): BusinessToken {
  const key = keyOf(options);
  const reset = useSyncExternalStore(onReset, currentGeneration, currentGeneration);
  // Options are read through the key: a new options object on every render must not resubscribe.
  /* eslint-disable react-hooks/exhaustive-deps */
  const subscribe = useCallback(
    (listener: () => void) => {
      const entry = entryFor(options);
      const stop = entry.watch.subscribe(listener);
      entry.stops.add(stop);
      return () => {
        entry.stops.delete(stop);
        stop();
      };
    },
    [key, reset],
  );
  const getSnapshot = useCallback(() => entries.get(key)?.watch.getSnapshot() ?? LOADING, [key, reset]);
  const refresh = useCallback(() => entryFor(options).watch.refresh(), [key, reset]);
  /* eslint-enable react-hooks/exhaustive-deps */
  return { ...useSyncExternalStore(subscribe, getSnapshot, loading), refresh };
}
