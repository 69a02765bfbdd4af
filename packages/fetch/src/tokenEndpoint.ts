import {
  AuthenticationError,
  FintokenError,
  NetworkError,
  parseRetryAfter,
  ProviderError,
  REJECTED_TOKEN_HEADER,
  ResponseValidationError,
  TimeoutError,
  tokenFingerprint,
  type Token,
} from '@fintoken/core/cache';
import type { AuthFetchOptions } from './createAuthFetch.js';
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
  { tokenUrl, tokenRequestInit: init, tokenTimeoutMs: timeoutMs = 30_000 }: AuthFetchOptions,
  now: () => number,
  rejectedToken?: string,
): Promise<Token> {
  let status: number | undefined;
  try {
    const headers = new Headers(init?.headers);
    if (!headers.has('accept')) headers.set('accept', 'application/json');
    // After a 401, tell the backend which token the API refused (a fingerprint, never the token)
    // so it replaces a token the provider revoked early rather than serving it from its cache.
    if (rejectedToken !== undefined) headers.set(REJECTED_TOKEN_HEADER, await tokenFingerprint(rejectedToken));
    const response = await fetchFn(tokenUrl!, {
      method: 'POST',
      credentials: 'same-origin',
      signal: timeoutMs > 0 ? AbortSignal.timeout(timeoutMs) : undefined,
      ...init,
      headers,
    });
    status = response.status;
    if (!response.ok) {
      response.body?.cancel().catch(() => undefined);
      // 401/403: the user's session may not get a token (signed out, or not allowed this business);
      // others e.g. @fintoken/express's rate limit (429) or a provider outage (503) with Retry-After.
      throw new (status === 401 || status === 403 ? AuthenticationError : ProviderError)(`The token endpoint answered ${status}`, {
        status,
        retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), response.headers.get('date'), now())!,
      });
    }
    return toToken(await response.json(), now(), status);
  } catch (error) {
    // Our own errors pass through. DOMException names from fetch (WHATWG Fetch §5.6 "abort fetch")
    // and AbortSignal.timeout; a SyntaxError comes from parsing the body (fetch throws TypeError).
    const name = (error as Error | null)?.name;
    throw error instanceof FintokenError
      ? error
      : name === 'SyntaxError'
        ? new ResponseValidationError('The token endpoint did not answer JSON', { field: '(body)', status: status! })
        : name === 'TimeoutError'
          ? new TimeoutError(`The token endpoint did not answer in ${timeoutMs} ms (tokenTimeoutMs)`)
          : name === 'AbortError'
            ? aborted()
            : new NetworkError('Could not reach the token endpoint (tokenUrl)', { cause: error });
  }
}
