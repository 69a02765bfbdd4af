import { InvalidRequestError, UnsupportedError } from './errors.js';
import type { TokenRequest } from './types.js';

const UNSUPPORTED_WHAT = { businessId: 'business-scoped tokens', scope: 'per-request scope', resource: 'per-request resource' } as const;

/**
 * The checks every `getToken` argument passes before any provider rule or any request: an object,
 * nothing the provider cannot do (`UnsupportedError`), well-formed strings (a lone surrogate
 * cannot be URL- or form-encoded), a real AbortSignal. Values are never echoed.
 */
export function checkRequestShape(
  provider: string,
  request: unknown,
  unsupported: ReadonlyArray<keyof typeof UNSUPPORTED_WHAT> = [],
): asserts request is TokenRequest {
  const fail = (what: string) => {
    throw new InvalidRequestError(`${provider} getToken: ${what}`, { provider });
  };
  if (typeof request !== 'object' || request === null || Array.isArray(request)) fail('the request must be an object or undefined');
  const r = request as Record<string, unknown>;
  // What the provider cannot do at all is said first, whatever the value asked for.
  for (const field of unsupported) {
    if (r[field] !== undefined) {
      throw new UnsupportedError(`${provider} getToken: ${provider} has no ${UNSUPPORTED_WHAT[field]}; nothing was sent`, { provider });
    }
  }
  if (r.businessId !== undefined && !wellFormed(r.businessId)) fail('businessId must be a non-empty, well-formed string');
  for (const field of ['scope', 'resource'] as const) {
    const value = r[field];
    if (value === undefined) continue;
    const items = Array.isArray(value) ? value : [value];
    if (!items.every((item) => typeof item === 'string' && !hasLoneSurrogate(item))) fail(`${field} must be a string or an array of well-formed strings`);
  }
  if (r.forceRefresh !== undefined && typeof r.forceRefresh !== 'boolean') fail('forceRefresh must be a boolean');
  if (r.rejectedToken !== undefined && typeof r.rejectedToken !== 'string') fail('rejectedToken must be a string');
  if (r.fresh !== undefined && typeof r.fresh !== 'boolean') fail('fresh must be a boolean');
  if (r.signal !== undefined && !(r.signal instanceof AbortSignal)) fail('signal must be an AbortSignal');
}

// String.prototype.isWellFormed, spelled out for runtimes that predate ES2024. Almost no id has a
// surrogate at all: the cheap class test spares the hot path the look-behind (every getToken
// with a request object, e.g. each browser token request).
const SURROGATE = /[\uD800-\uDFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const hasLoneSurrogate = (value: string): boolean => SURROGATE.test(value) && LONE_SURROGATE.test(value);

function wellFormed(value: unknown): boolean {
  return typeof value === 'string' && value !== '' && !hasLoneSurrogate(value);
}
