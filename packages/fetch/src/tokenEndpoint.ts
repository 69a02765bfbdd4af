import {
  AuthenticationError,
  NetworkError,
  parseRetryAfter,
  ProviderError,
  REJECTED_TOKEN_HEADER,
  ResponseValidationError,
  TimeoutError,
  tokenFingerprint,
  type Token,
} from '@fintoken/core/cache';
import { aborted } from './memoryCache.js';
import { toToken } from './tokenResponse.js';

/** A fetch function as the platform provides it. */
export type FetchFunction = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

/**
 * Ask the app's own backend for a token: `POST tokenUrl` with the page's cookies (same-origin),
 * then validate the JSON. Failures become typed errors carrying the status, never the body
 * (an endpoint may echo something sensitive). Every request gets its own timeout: the request is
 * shared by all waiting callers, so a hung endpoint must not hold them forever.
 */
export async function requestToken(
  fetchFn: FetchFunction,
  url: string | URL,
  init: RequestInit | undefined,
  timeoutMs: number,
  now: () => number,
  rejectedToken?: string,
): Promise<Token> {
  let response: Response;
  try {
    const headers = new Headers(init?.headers);
    if (!headers.has('accept')) headers.set('accept', 'application/json');
    // After a 401, tell the backend which token the API refused (a fingerprint, never the token)
    // so it replaces a token the provider revoked early rather than serving it from its cache.
    if (rejectedToken !== undefined) headers.set(REJECTED_TOKEN_HEADER, await tokenFingerprint(rejectedToken));
    response = await fetchFn(url, {
      method: 'POST',
      credentials: 'same-origin',
      ...(timeoutMs > 0 ? { signal: AbortSignal.timeout(timeoutMs) } : {}),
      ...init,
      headers,
    });
  } catch (error) {
    throw failed(error, timeoutMs);
  }
  const { status } = response;
  if (!response.ok) {
    response.body?.cancel().catch(() => undefined);
    // 401/403: the user's session may not get a token (signed out, or not allowed this business).
    const Kind = status === 401 || status === 403 ? AuthenticationError : ProviderError;
    // e.g. @fintoken/express's rate limit (429) or a provider outage (503) with Retry-After.
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), response.headers.get('date'), now());
    throw new Kind(`The token endpoint answered ${status}`, { status, retryAfterMs: retryAfterMs! });
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch (error) {
    throw (error as Error | null)?.name === 'SyntaxError'
      ? new ResponseValidationError('The token endpoint did not answer JSON', { field: '(body)', status })
      : failed(error, timeoutMs);
  }
  return toToken(body, now(), status);
}

// DOMException names from fetch (WHATWG Fetch §5.6 "abort fetch") and AbortSignal.timeout.
function failed(error: unknown, timeoutMs: number): Error {
  const name = (error as Error | null)?.name;
  if (name === 'TimeoutError') return new TimeoutError(`The token endpoint did not answer in ${timeoutMs} ms (tokenTimeoutMs)`);
  if (name === 'AbortError') return aborted();
  return new NetworkError('Could not reach the token endpoint (tokenUrl)', { cause: error });
}
