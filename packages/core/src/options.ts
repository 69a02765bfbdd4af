import type { Dispatcher } from 'undici';
import { z } from 'zod';
import { ConfigurationError, InvalidRequestError } from './errors.js';
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
}

const fn = <T>(what: string) => z.custom<T>((v) => typeof v === 'function', { message: `must be a function (${what})` });

const positiveMs = z.number().finite().positive();

/** The zod shape of `CommonOptions`, to spread into each provider's options schema. */
export const commonOptionsShape = {
  store: z
    .custom<TokenStore>(
      (v) => typeof v === 'object' && v !== null && ['get', 'set', 'delete'].every((m) => typeof (v as Record<string, unknown>)[m] === 'function'),
      { message: 'must be a TokenStore with get, set and delete' },
    )
    .optional(),
  refreshAhead: z
    .union([
      z.literal(false),
      z.number().finite().nonnegative(),
      z.object({ minMs: z.number().nonnegative().optional(), ratio: z.number().min(0).max(1).optional(), maxRatio: z.number().min(0).max(1).optional() }).strict(),
    ])
    .optional(),
  retry: z
    .union([
      z.literal(false),
      z
        .object({
          attempts: z.number().int().min(1).max(20).optional(),
          baseDelayMs: z.number().nonnegative().optional(),
          maxDelayMs: z.number().nonnegative().optional(),
          deadlineMs: positiveMs.optional(),
          maxRetryAfterMs: z.number().nonnegative().optional(),
        })
        .strict(),
    ])
    .optional(),
  timeoutMs: positiveMs.optional(),
  maxBodyBytes: z.number().int().positive().optional(),
  dispatcher: z
    .custom<Dispatcher>((v) => typeof v === 'object' && v !== null && typeof (v as { dispatch?: unknown }).dispatch === 'function', {
      message: 'must be an undici Dispatcher',
    })
    .optional(),
  onEvent: fn<EventListener>('event listener').optional(),
  now: fn<Clock>('clock returning epoch ms').optional(),
  maxEntries: z.number().int().positive().optional(),
  safetyMarginMs: z.number().nonnegative().optional(),
  lockTtlMs: positiveMs.optional(),
  waitTimeoutMs: positiveMs.optional(),
  forcedRefreshIntervalMs: z.number().finite().nonnegative().optional(),
};

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** True for loopback hosts (localhost, 127.0.0.0/8, ::1), where plain http is acceptable. */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK.has(hostname) || /^127\.\d+\.\d+\.\d+$/.test(hostname) || hostname.endsWith('.localhost');
}

/**
 * A URL option: absolute http(s), no credentials or fragment, and https unless `allowHttp` or
 * the host is loopback (a production token must never cross the network in clear).
 */
export function urlOption(options: { allowHttp?: boolean } = {}) {
  return z.string().superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be an absolute URL' });
      return;
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') ctx.addIssue({ code: 'custom', message: 'must be an http(s) URL' });
    else if (url.protocol === 'http:' && options.allowHttp !== true && !isLoopbackHost(url.hostname)) {
      ctx.addIssue({ code: 'custom', message: 'must use https (plain http is only accepted for loopback hosts)' });
    }
    if (url.username !== '' || url.password !== '') ctx.addIssue({ code: 'custom', message: 'must not contain credentials' });
    if (url.hash !== '') ctx.addIssue({ code: 'custom', message: 'must not contain a fragment' });
  });
}

/**
 * Validate a factory's options once, at construction. The error names every bad field and
 * what is wrong with it, never the value given (it may be a secret).
 */
export function parseOptions<S extends z.ZodType>(schema: S, input: unknown, factory: string): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ConfigurationError(`${factory}: invalid options: ${describeIssues(result.error.issues, input)}`);
}

/**
 * Validate a `getToken`/`fetch` argument before anything is sent: an `InvalidRequestError`
 * naming the bad fields, never their values.
 */
export function parseRequest<S extends z.ZodType>(schema: S, input: unknown, what: string, provider?: string): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new InvalidRequestError(`${what}: invalid request: ${describeIssues(result.error.issues, input)}`, provider === undefined ? {} : { provider });
}

/** The shape every provider's credentials share. */
export const credentialsShape = {
  clientId: z.string().min(1, 'must not be empty'),
  clientSecret: z.string().min(1, 'must not be empty'),
};

function describeIssues(issues: z.core.$ZodIssue[], input: unknown): string {
  const problems = issues.map((issue) => {
    const field = issue.path.length === 0 ? 'options' : issue.path.map(String).join('.');
    const message = issue.path.length > 0 && valueAt(input, issue.path) === undefined ? 'is required' : issue.message;
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
