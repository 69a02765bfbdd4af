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

// One watch per token source for the whole page: every component using the same `tokenUrl`
// shares one token and one endpoint request. Created on first subscribe (an effect), never
// during render, so server rendering touches no browser API.
const watches = new Map<unknown, TokenWatch>();
const LOADING: TokenState = { status: 'loading' };
const loading = () => LOADING;

const keyOf = (o: UseBusinessTokenOptions): unknown => o.authFetch ?? o.getToken ?? String(o.tokenUrl);

function watchFor(options: UseBusinessTokenOptions): TokenWatch {
  const key = keyOf(options);
  let watch = watches.get(key);
  if (watch === undefined) {
    watch = watchToken(options.authFetch ?? createAuthFetch(options as AuthFetchOptions), options);
    watches.set(key, watch);
  }
  return watch;
}

/**
 * The current business-scoped token from your backend's token endpoint, kept fresh: it changes
 * before the old one expires, never to an expired value, with one endpoint request for every
 * component (and every tab, with `tabs: shareAcrossTabs()` from `@fintoken/fetch/tabs`).
 * The options of the first component to use a `tokenUrl` apply to it.
 *
 * @example
 * const { token } = useBusinessToken({ tokenUrl: '/api/layer/business-token' });
 * return token ? <LayerProvider businessId={id} businessAccessToken={token} environment="sandbox">…</LayerProvider> : null;
 */
export function useBusinessToken(options: UseBusinessTokenOptions): BusinessToken {
  const key = keyOf(options);
  // Options are read through the key: a new options object on every render must not resubscribe.
  /* eslint-disable react-hooks/exhaustive-deps */
  const subscribe = useCallback((listener: () => void) => watchFor(options).subscribe(listener), [key]);
  const getSnapshot = useCallback(() => watches.get(key)?.getSnapshot() ?? LOADING, [key]);
  const refresh = useCallback(() => watchFor(options).refresh(), [key]);
  /* eslint-enable react-hooks/exhaustive-deps */
  return { ...useSyncExternalStore(subscribe, getSnapshot, loading), refresh };
}
