import type { Dispatcher } from 'undici';
import * as z from 'zod/mini';
import { ConfigurationError, InvalidRequestError } from './errors.js';
import { issueMessage } from './issues.js';
import type { RefreshAheadOption } from './refreshAhead.js';
import type { RetryOptions } from './retry.js';
import type { Clock, EventListener, TokenStore } from './types.js';

/** Options every provider factory takes, defined once here. */
export interface CommonOptions {
  /** Where tokens are cached beyond this process (e.g. `createRedisStore`). In-memory only by default. */
  store?: TokenStore;
  /** When to refresh before expiry: ms of lead, a rule object, or `false`. */
  refreshAhead?: RefreshAheadOption;
  /** Retry policy for token requests, or `false` for a single attempt. */
  retry?: RetryOptions | false;
  /** Per-attempt timeout (connect + headers + body). Default 10,000 ms. */
  timeoutMs?: number;
  /** Largest response body read. Default 1 MiB. */
  maxBodyBytes?: number;
  /**
   * Node only: an undici dispatcher (`MockAgent` in tests, `ProxyAgent` behind a proxy). Where core
   * runs on the global fetch (workerd, edge, browsers, Deno, Bun) a factory refuses it with `ConfigurationError`.
   */
  dispatcher?: Dispatcher;
  /** Observe `cache.hit`, `token.fetched`, ... events (never carrying secrets). */
  onEvent?: EventListener;
  /** The clock, for tests. Default `Date.now`. */
  now?: Clock;
  /** Bound of the in-memory cache. Default 10,000 tokens. */
  maxEntries?: number;
  /** Subtracted from each token's lifetime. Default 10,000 ms, at most 10 % of the lifetime. */
  safetyMarginMs?: number;
  /**
   * With a shared store: the longest a refresh lock may live. At least one token fetch
   * (`timeoutMs` × attempts + backoff, capped by the retry deadline); default that plus 2,000 ms.
   */
  lockTtlMs?: number;
  /**
   * With a shared store: how long an instance waits for another's refresh before fetching
   * itself. At least `lockTtlMs`; default `lockTtlMs` + 1,000 ms. Combinations that would let
   * waiters give up on a live lock are refused with a `ConfigurationError`.
   */
  waitTimeoutMs?: number;
  /**
   * Least time between two replacements of one token forced by a rejection (a 401 seen by
   * `client.fetch`, or a browser's rejected-token header at the token endpoint): at most one
   * such replacement per token key in this interval, so rejections cannot be turned into token
   * requests at will. The first rejection is honoured at once. `0` turns the bound off.
   * Default 30,000 ms.
   */
  forcedRefreshIntervalMs?: number;
  /**
   * Keeps alive the work that outlives the call that started it: a refresh ahead of expiry (its
   * caller already has the still-valid token) and a shared store's lock release. On Cloudflare
   * Workers pass `waitUntil` from `cloudflare:workers`: workerd cancels a request's unfinished
   * I/O once its response is sent. Without it there, the caller that starts a refresh ahead
   * waits for it (everyone else goes on getting the still-valid token). Elsewhere a background
   * refresh needs nothing.
   */
  waitUntil?: (promise: Promise<unknown>) => void;
  /**
   * Accept plain `http:` URLs for hosts other than loopback (an emulator on a container
   * network). Off by default: credentials and tokens never cross a network in clear unless
   * this says so. Loopback hosts (`localhost`, `127.0.0.0/8`, `::1`) may always use http.
   */
  allowInsecureHttp?: boolean;
}

const fn = <T>(what: string) => z.custom<T>((v) => typeof v === 'function', { error: `must be a function (${what})` });

const positiveMs = z.number().check(z.positive());
const nonNegative = z.number().check(z.nonnegative());
const ratio = z.number().check(z.minimum(0), z.maximum(1));

/** The zod shape of `CommonOptions`, to spread into each provider's options schema. */
export const commonOptionsShape = {
  store: z.optional(
    z.custom<TokenStore>(
      (v: unknown) => typeof v === 'object' && v !== null && ['get', 'set', 'delete'].every((m) => typeof (v as Record<string, unknown>)[m] === 'function'),
      { error: 'must be a TokenStore with get, set and delete' },
    ),
  ),
  refreshAhead: z.optional(
    z.union([
      z.literal(false),
      nonNegative,
      z.strictObject({ minMs: z.optional(nonNegative), ratio: z.optional(ratio), maxRatio: z.optional(ratio) }),
    ]),
  ),
  retry: z.optional(
    z.union([
      z.literal(false),
      z.strictObject({
        attempts: z.optional(z.int().check(z.minimum(1), z.maximum(20))),
        baseDelayMs: z.optional(nonNegative),
        maxDelayMs: z.optional(nonNegative),
        deadlineMs: z.optional(positiveMs),
        maxRetryAfterMs: z.optional(nonNegative),
      }),
    ]),
  ),
  timeoutMs: z.optional(positiveMs),
  maxBodyBytes: z.optional(z.int().check(z.positive())),
  dispatcher: z.optional(
    z.custom<Dispatcher>((v) => typeof v === 'object' && v !== null && typeof (v as { dispatch?: unknown }).dispatch === 'function', {
      error: 'must be an undici Dispatcher',
    }),
  ),
  onEvent: z.optional(fn<EventListener>('event listener')),
  now: z.optional(fn<Clock>('clock returning epoch ms')),
  maxEntries: z.optional(z.int().check(z.positive())),
  safetyMarginMs: z.optional(nonNegative),
  lockTtlMs: z.optional(positiveMs),
  waitTimeoutMs: z.optional(positiveMs),
  forcedRefreshIntervalMs: z.optional(nonNegative),
  waitUntil: z.optional(fn<(promise: Promise<unknown>) => void>('waitUntil from cloudflare:workers, or ctx.waitUntil bound to its context')),
  allowInsecureHttp: z.optional(z.boolean()),
};

/**
 * Validate a factory's options once, at construction. The error names every bad field and
 * what is wrong with it, never the value given (it may be a secret).
 */
export function parseOptions<S extends z.ZodMiniType>(schema: S, input: unknown, factory: string): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ConfigurationError(`${factory}: invalid options: ${describeIssues(result.error.issues, input)}`);
}

/**
 * Validate a `getToken`/`fetch` argument before anything is sent: an `InvalidRequestError`
 * naming the bad fields, never their values.
 */
export function parseRequest<S extends z.ZodMiniType>(schema: S, input: unknown, what: string, provider?: string): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new InvalidRequestError(`${what}: invalid request: ${describeIssues(result.error.issues, input)}`, provider === undefined ? {} : { provider });
}

function describeIssues(issues: z.core.$ZodIssue[], input: unknown): string {
  const problems = issues.map((issue) => {
    const field = issue.path.length === 0 ? 'options' : issue.path.map(String).join('.');
    const message = issue.path.length > 0 && valueAt(input, issue.path) === undefined ? 'is required' : issueMessage(issue);
    return `${field}: ${message}`;
  });
  return problems.join('; ');
}

function valueAt(input: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let value = input;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}
