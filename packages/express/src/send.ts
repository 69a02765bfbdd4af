import type { Response } from 'express';

/**
 * The `code` of every JSON error this package writes. Stable: browsers may switch on it. Each
 * comes with a fixed message; nothing of the underlying error (provider body, description,
 * stack) is ever copied into a response.
 */
export type ErrorResponseCode =
  | 'forbidden'
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

const MESSAGES: Record<ErrorResponseCode, string> = {
  forbidden: 'You may not get a token for this business.',
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
 * no-cache`), and `nosniff` keeps a JSON body from ever being read as script or HTML.
 */
export function setNoStore(res: Response): void {
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Pragma', 'no-cache');
  res.setHeader('X-Content-Type-Options', 'nosniff');
}

/**
 * Write a JSON body with Node's own API rather than `res.json`, so Express 4 and 5 behave the
 * same and no ETag (derived from the token) or 304 revalidation is ever produced for it.
 */
export function writeJson(res: Response, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

/** Send `{ error: { code, message } }` with the no-store headers and `Retry-After` when known. */
export function sendError(res: Response, error: ErrorResponse, extraHeaders: Record<string, string> = {}): void {
  setNoStore(res);
  const headers = { ...extraHeaders, ...(error.retryAfter === undefined ? {} : { 'Retry-After': String(error.retryAfter) }) };
  writeJson(res, error.status, { error: { code: error.code, message: error.message } }, headers);
}
