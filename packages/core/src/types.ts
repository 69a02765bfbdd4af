import type { FintokenError } from './errors.js';

/** An OAuth2 access token as fintoken caches and hands it out. */
export interface Token {
  accessToken: string;
  /** Almost always `"Bearer"`. */
  tokenType: string;
  /** Epoch milliseconds on the local clock after which the token must not be used. */
  expiresAt: number;
  /** Epoch milliseconds on the local clock at which the response carrying the token arrived. */
  issuedAt?: number;
  scope?: string[];
  businessId?: string;
}

/** What a caller may ask a client for. */
export interface TokenRequest {
  /** Ask for a token scoped to one business. */
  businessId?: string;
  scope?: string | string[];
  resource?: string | string[];
  /** Skip the cache and replace the cached token (e.g. after a 401). */
  forceRefresh?: boolean;
  /**
   * The access token the API just rejected. With `forceRefresh`, a refresh happens only while
   * that token is still the cached one, so a storm of 401s makes one token request.
   */
  rejectedToken?: string;
  /**
   * Inside the refresh-ahead window, wait for the replacement (the refresh already under way, or
   * one started now) instead of taking the still-valid token being replaced; if that refresh
   * fails, the still-valid token is the answer. For tokens handed to someone who keeps them until
   * their own refresh-ahead, such as a browser: given the old token, it would come back for the
   * new one moments later. The web and Express endpoints ask for this.
   */
  fresh?: boolean;
  signal?: AbortSignal;
}

/**
 * What a provider says about its business-scoped tokens, for the endpoints that hand them to
 * browsers (`@fintoken/web`, `@fintoken/express`): whether they are meant for client-side code, and
 * which request field sets their lifetime.
 */
export interface BusinessTokenPolicy {
  /** The provider's documentation means these tokens for browsers (Layer: yes; Thredfi: no). */
  browser: boolean;
  /**
   * The `TokenRequest` field that asks for a lifetime in seconds (Layer `sessionDuration`, Asset
   * `expiresIn`); absent when the provider takes none.
   */
  lifetimeField?: string;
  /** Why, in the provider's words, when `browser` is false: quoted in the endpoint's `ConfigurationError`. */
  reason?: string;
}

/** Every provider client implements this. */
export interface TokenClient {
  readonly provider: string;
  getToken(request?: TokenRequest): Promise<Token>;
  /**
   * fintoken's provider clients say what their business-scoped tokens are for; `false` when the
   * provider has none (Layer1, a generic OAuth 2.0 client). A client of your own may leave it out.
   */
  readonly businessTokens?: BusinessTokenPolicy | false;
}

/** A held distributed lock. */
export interface Lock {
  release(): Promise<void>;
}

/** Where cached tokens live: memory by default, Redis for fleets. */
export interface TokenStore {
  get(key: string): Promise<Token | undefined>;
  set(key: string, token: Token): Promise<void>;
  delete(key: string): Promise<void>;
  /** Distributed single-flight: resolves a lock when this caller should refresh, `undefined` when another holds it. */
  lock?(key: string, ttlMs: number): Promise<Lock | undefined>;
  /**
   * Wait until the holder of the lock on `key` stores a token other than `previous`
   * (pub/sub or polling). Resolves `undefined` on timeout. Optional: without it the cache polls `get`.
   */
  waitFor?(key: string, options: { previous?: string; timeoutMs: number; signal?: AbortSignal }): Promise<Token | undefined>;
}

/** A clock returning epoch milliseconds; injectable for tests. */
export type Clock = () => number;

export type FintokenEventType =
  | 'cache.hit'
  | 'cache.miss'
  | 'token.requested'
  | 'token.fetched'
  | 'token.refreshed'
  | 'token.failed'
  | 'token.expiry_adjusted'
  | 'retry.scheduled'
  | 'store.error'
  | 'store.wait'
  | 'endpoint.called';

/** Emitted through the `onEvent` option. Never carries a secret or a token value. */
export interface FintokenEvent {
  type: FintokenEventType;
  provider?: string;
  /** The cache key: provider, environment, client id, business id, scope, resource. Never a secret. */
  key?: string;
  businessId?: string;
  /** Local epoch ms at which the token involved expires. */
  expiresAt?: number;
  /** How long the upstream call took. */
  durationMs?: number;
  /** For `retry.scheduled`: the attempt that failed (1-based) and the wait before the next. */
  attempt?: number;
  delayMs?: number;
  /** Why: e.g. `miss`, `refresh-ahead`, `forced`, `expired`; for `store.error`, the store operation that failed (`get`, `set`, `lock`, `release`, `wait`). */
  reason?: string;
  error?: FintokenError;
  message?: string;
  /** For `endpoint.called` (one upstream token endpoint call, its retries included): the HTTP method. */
  method?: string;
  /** For `endpoint.called`: the endpoint URL without credentials, query or fragment. */
  url?: string;
  /** For `endpoint.called`: the status of the last response, when there was one. */
  status?: number;
  /** For `endpoint.called`: how many HTTP attempts were made (1 when there was no retry). */
  attempts?: number;
}

export type EventListener = (event: FintokenEvent) => void;
