import { FintokenError, ProviderError } from '@fintoken/core';
import { errorResponse, type ErrorResponse } from './errorResponse.js';

/** Retry-After for a provider 429 that named no delay of its own. */
const THROTTLED_RETRY_AFTER_S = 5;
/** Retry-After for timeouts, network errors and a provider 503 without a delay: core already retried. */
const TRANSIENT_RETRY_AFTER_S = 2;
/** A provider asking for more than an hour is not a delay worth passing to a browser verbatim. */
const MAX_RETRY_AFTER_S = 3600;

/**
 * Map anything thrown while getting a token to the HTTP answer for the browser:
 *
 * - provider throttled (429, or any provider error carrying `Retry-After`), provider 503/408,
 *   timeout, network error, abort: 503 + `Retry-After` (RFC 9110 §15.6.4: the condition is
 *   temporary; we are the origin the browser sees, so we are the one that is "unavailable");
 * - any other provider answer (4xx, 5xx, bad credentials, a body that fails validation): 502;
 * - `UnsupportedError` (e.g. Layer1 has no business tokens): 501;
 * - `InvalidRequestError`, `ConfigurationError`, anything else: 500. The business id comes from
 *   the server's own `authorize`, never from the browser, so a malformed one is a server bug:
 *   a 400 would blame the browser for it.
 *
 * Only the status and fixed message leave: never the error's message, which may quote the provider.
 */
export function mapError(error: unknown): ErrorResponse {
  if (!(error instanceof FintokenError)) return errorResponse(500, 'internal_error');
  switch (error.code) {
    case 'ERR_PROVIDER':
    case 'ERR_AUTHENTICATION':
      return mapProviderError(error as ProviderError);
    case 'ERR_TIMEOUT':
    case 'ERR_NETWORK':
    case 'ERR_ABORTED':
      return errorResponse(503, 'provider_unavailable', TRANSIENT_RETRY_AFTER_S);
    case 'ERR_RESPONSE_VALIDATION':
      return errorResponse(502, 'bad_gateway');
    case 'ERR_UNSUPPORTED':
      return errorResponse(501, 'not_implemented');
    default:
      return errorResponse(500, 'internal_error');
  }
}

function mapProviderError(error: ProviderError): ErrorResponse {
  const { status, retryAfterMs } = error;
  if (error.code !== 'ERR_AUTHENTICATION' && (status === 429 || retryAfterMs !== undefined)) {
    const fallback = status === 429 ? THROTTLED_RETRY_AFTER_S : TRANSIENT_RETRY_AFTER_S;
    return errorResponse(503, 'provider_unavailable', retryAfterMs === undefined ? fallback : toSeconds(retryAfterMs));
  }
  if (status === 503 || status === 408) return errorResponse(503, 'provider_unavailable', TRANSIENT_RETRY_AFTER_S);
  return errorResponse(502, 'bad_gateway');
}

function toSeconds(ms: number): number {
  return Math.min(MAX_RETRY_AFTER_S, Math.max(1, Math.ceil(ms / 1000)));
}
