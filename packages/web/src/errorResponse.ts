/**
 * The `code` of every JSON error the server adapters write. Stable: browsers may switch on it.
 * Each comes with a fixed message; nothing of the underlying error (provider body, description,
 * stack) is ever copied into a response.
 */
export type ErrorResponseCode =
  | 'forbidden'
  | 'cross_site_request'
  | 'method_not_allowed'
  | 'rate_limited'
  | 'internal_error'
  | 'not_implemented'
  | 'bad_gateway'
  | 'provider_unavailable';

/** What goes on the wire for an error. */
export interface ErrorResponse {
  status: number;
  code: ErrorResponseCode;
  message: string;
  /** Seconds, sent as `Retry-After` (RFC 9110 §10.2.3). */
  retryAfter?: number;
}

/**
 * A framework-neutral HTTP answer: what every adapter writes, byte for byte, in its own API
 * (`res.end` for Express, `new Response` for the Fetch API). Header names are lower case.
 */
export interface EndpointResult {
  status: number;
  headers: Record<string, string>;
  /** JSON text. */
  body: string;
}

const MESSAGES: Record<ErrorResponseCode, string> = {
  forbidden: 'You may not get a token for this business.',
  cross_site_request: 'Token requests from another site are refused.',
  method_not_allowed: 'Use POST (or GET) to get a token.',
  rate_limited: 'Too many token requests; retry later.',
  internal_error: 'The server could not get a token.',
  not_implemented: 'The token provider does not support this kind of token.',
  bad_gateway: 'The token provider answered with an error.',
  provider_unavailable: 'The token provider is unavailable; retry later.',
};

/** Build the response for one of the codes above. */
export function errorResponse(status: number, code: ErrorResponseCode, retryAfter?: number): ErrorResponse {
  return { status, code, message: MESSAGES[code], ...(retryAfter === undefined ? {} : { retryAfter }) };
}

/**
 * Headers on every response of the token endpoint, errors included. A token must never be
 * stored by a browser or proxy cache (RFC 6749 §5.1: `Cache-Control: no-store`, `Pragma:
 * no-cache`), and `nosniff` keeps a JSON body from ever being read as script or HTML. No ETag
 * (it would be derived from the token) and no CORS header: only your own pages may read it.
 */
export function jsonResult(status: number, body: unknown, headers?: Record<string, string>): EndpointResult {
  // A literal on the hot path (every success): spreading an empty object costs more than building it.
  const noStore = {
    'cache-control': 'no-store',
    pragma: 'no-cache',
    'x-content-type-options': 'nosniff',
    'content-type': 'application/json; charset=utf-8',
  };
  return { status, headers: headers === undefined ? noStore : { ...headers, ...noStore }, body: JSON.stringify(body) };
}

/** `{ error: { code, message } }` with the no-store headers and `Retry-After` when known. */
export function errorResult(error: ErrorResponse, extraHeaders: Record<string, string> = {}): EndpointResult {
  const headers = { ...extraHeaders, ...(error.retryAfter === undefined ? {} : { 'retry-after': String(error.retryAfter) }) };
  return jsonResult(error.status, { error: { code: error.code, message: error.message } }, headers);
}
