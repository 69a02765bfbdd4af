import { platformFetch } from './runtime.js';
import type { Dispatcher, RequestInit, Response } from 'undici';
import { AbortError, ConfigurationError, InvalidRequestError, NetworkError, TimeoutError } from './errors.js';
import type { Redactor } from './redact.js';
import type { Token, TokenRequest } from './types.js';
import { joinUrl } from './url.js';

export type AuthorizedFetchInit<R extends TokenRequest = TokenRequest> = RequestInit & {
  /** Which token to use (e.g. `{ businessId }`); the client's default token otherwise. */
  token?: R;
};

export type AuthorizedFetch<R extends TokenRequest = TokenRequest> = (pathOrUrl: string | URL, init?: AuthorizedFetchInit<R>) => Promise<Response>;

export interface AuthorizedFetchOptions<R extends TokenRequest> {
  provider: string;
  apiUrl?: string;
  getToken: (request?: R) => Promise<Token>;
  dispatcher: Dispatcher | undefined;
  redact: Redactor;
  /** Longest wait for the response headers. Default 30,000 ms. */
  timeoutMs?: number;
  /** Authorization beyond a Bearer header (see `FetchAuthorizer`). */
  authorizer?: FetchAuthorizer;
}

/** One request `fetch` is about to send, as a `FetchAuthorizer` sees it. */
export interface FetchAttempt {
  /** The resolved URL, query included. */
  url: string;
  /** Upper case, `GET` when the caller gave none. */
  method: string;
  token: Token;
}

/**
 * How `fetch` authorizes a request when a Bearer header is not enough: sender-constrained tokens
 * such as DPoP (RFC 9449 §7: `Authorization: DPoP …` plus a fresh proof per request) and
 * certificate-bound tokens (RFC 8705 §3: the request must go out over the client's certificate).
 */
export interface FetchAuthorizer {
  /**
   * Headers for one attempt, replacing the Bearer (`authorization`, `dpop`, ...), and on Node the
   * dispatcher to send it through. Called again for every retry, so each attempt gets its own proof.
   * A caller's own `authorization` header wins: its headers are then dropped (the dispatcher is used).
   */
  authorize(attempt: FetchAttempt): Promise<{ headers?: Record<string, string>; dispatcher?: Dispatcher | undefined }>;
  /**
   * Sees every response, so it can keep what the server says (a `DPoP-Nonce`). True when the
   * server asks for the same request again with the same token (RFC 9449 §9: a 401
   * `use_dpop_nonce`): `fetch` then sends it once more, at most once per call, without a refresh.
   */
  retrySameToken?(response: Response): boolean;
}

/**
 * `fetch` for the provider API: resolves paths against the API URL, attaches the Bearer, and on
 * a 401 refreshes once (one token request however many callers saw that 401) and retries once
 * when the body can be sent again. Refuses URLs outside the API, so a token never leaves for
 * another host. Network failures and timeouts become `NetworkError`/`TimeoutError`. With an
 * `authorizer`, each attempt carries the headers it gives instead of the Bearer (and goes through
 * its dispatcher), and its challenge is answered with one more attempt on the same token.
 */
export function authorizedFetch<R extends TokenRequest>(options: AuthorizedFetchOptions<R>): AuthorizedFetch<R> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  return async (pathOrUrl, init = {}) => {
    const url = resolveUrl(options, pathOrUrl);
    const { token: request, ...rest } = init;
    const method = (rest.method ?? 'GET').toUpperCase();
    // A caller's own Authorization header wins: the authorizer's headers are then not used, nor
    // its challenges answered; its dispatcher still carries the request (a client certificate).
    const callerAuthorizes = new Headers(rest.headers as ConstructorParameters<typeof Headers>[0]).has('authorization');
    const authorizer = options.authorizer;
    const send = async (token: Token) => {
      options.redact.add(token.accessToken);
      const headers = new Headers(rest.headers as ConstructorParameters<typeof Headers>[0]);
      let dispatcher = options.dispatcher;
      if (authorizer !== undefined) {
        const authorized = await authorizer.authorize({ url, method, token });
        if (!callerAuthorizes) for (const [name, value] of Object.entries(authorized.headers ?? {})) headers.set(name, value);
        dispatcher = authorized.dispatcher ?? dispatcher;
      }
      if (!headers.has('authorization')) headers.set('authorization', `Bearer ${token.accessToken}`);
      // The timeout covers the wait for headers only: the caller reads the body at its own pace.
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), timeoutMs);
      const signal = rest.signal == null ? controller.signal : AbortSignal.any([controller.signal, rest.signal as AbortSignal]);
      try {
        return await platformFetch(url, { ...rest, headers: headers as never, signal }, dispatcher);
      } catch (error) {
        if (error instanceof ConfigurationError) throw error;
        const where = new URL(url).host;
        if (controller.signal.aborted) throw new TimeoutError(`No answer from ${where} within ${timeoutMs} ms`, { provider: options.provider });
        if ((rest.signal as AbortSignal | null | undefined)?.aborted) throw new AbortError('The request was aborted by its AbortSignal', { provider: options.provider });
        const code = ((error as { cause?: { code?: unknown } }).cause?.code as string | undefined) ?? 'fetch failed';
        throw new NetworkError(`Could not reach ${where} (${code})`, { provider: options.provider });
      } finally {
        clearTimeout(timer);
      }
    };
    const token = await options.getToken(request);
    let retriedSameToken = false;
    // Every response is shown to the authorizer (it keeps nonces); a challenge is answered once per call.
    const attempt = async (current: Token): Promise<Response> => {
      const response = await send(current);
      if (callerAuthorizes || authorizer?.retrySameToken?.(response) !== true || retriedSameToken || !replayable(rest.body)) return response;
      retriedSameToken = true;
      await response.body?.cancel().catch(() => undefined);
      return attempt(current);
    };
    const response = await attempt(token);
    if (response.status !== 401 || !replayable(rest.body)) return response;
    await response.body?.cancel().catch(() => undefined);
    const fresh = await options.getToken({ ...request, forceRefresh: true, rejectedToken: token.accessToken } as R);
    return attempt(fresh);
  };
}

function replayable(body: RequestInit['body']): boolean {
  return (
    body === undefined ||
    body === null ||
    typeof body === 'string' ||
    body instanceof URLSearchParams ||
    body instanceof ArrayBuffer ||
    ArrayBuffer.isView(body) ||
    (typeof Blob !== 'undefined' && body instanceof Blob)
  );
}

function resolveUrl(options: { provider: string; apiUrl?: string }, pathOrUrl: string | URL): string {
  const value = pathOrUrl.toString();
  const base = options.apiUrl;
  if (/^[a-z][a-z0-9+.-]*:/i.test(value)) {
    if (base === undefined || !sameApi(value, base)) {
      throw new InvalidRequestError(`${options.provider} fetch: ${safeOrigin(value)} is not this client's API URL; refusing to send a token there`, {
        provider: options.provider,
      });
    }
    return value;
  }
  if (base === undefined) {
    throw new InvalidRequestError(`${options.provider} fetch: a relative path needs the client's API URL`, { provider: options.provider });
  }
  // Resolve dot segments (`..`, `%2e%2e`) as fetch will, then check the result is still under the
  // API URL: a relative path must not walk a token out to a sibling API on the same host.
  const resolved = new URL(joinUrl(base, value)).href;
  if (!sameApi(resolved, base)) {
    throw new InvalidRequestError(`${options.provider} fetch: that path leaves the client's API URL; refusing to send a token there`, {
      provider: options.provider,
    });
  }
  return resolved;
}

function safeOrigin(value: string): string {
  try {
    return new URL(value).origin;
  } catch {
    return 'that URL';
  }
}

function sameApi(url: string, base: string): boolean {
  const u = new URL(url);
  const b = new URL(base);
  const prefix = b.pathname.replace(/\/+$/, '');
  return u.origin === b.origin && (prefix === '' || u.pathname === prefix || u.pathname.startsWith(`${prefix}/`));
}
