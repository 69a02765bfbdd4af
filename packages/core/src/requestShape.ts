import { InvalidRequestError, UnsupportedError } from './errors.js';
import type { TokenRequest } from './types.js';

const UNSUPPORTED_WHAT = { businessId: 'business-scoped tokens', scope: 'per-request scope', resource: 'per-request resource' } as const;

/**
 * The checks every `getToken` argument passes before any provider rule or any request: an object,
 * nothing the provider cannot do (`UnsupportedError`), well-formed strings (a lone surrogate
 * cannot be URL- or form-encoded), a real AbortSignal. Values are never echoed.
 *
 * On the hot path (every browser token request passes here): no closure, array or iterator is
 * allocated for a valid request.
 */
export function checkRequestShape(
  provider: string,
  request: unknown,
  unsupported: ReadonlyArray<keyof typeof UNSUPPORTED_WHAT> = [],
): asserts request is TokenRequest {
  if (typeof request !== 'object' || request === null || Array.isArray(request)) invalid(provider, 'the request must be an object or undefined');
  const r = request as Record<string, unknown>;
  // What the provider cannot do at all is said first, whatever the value asked for.
  for (let i = 0; i < unsupported.length; i++) {
    const field = unsupported[i]!;
    if (r[field] !== undefined) {
      throw new UnsupportedError(`${provider} getToken: ${provider} has no ${UNSUPPORTED_WHAT[field]}; nothing was sent`, { provider });
    }
  }
  const { businessId, scope, resource, forceRefresh, rejectedToken, fresh, signal } = r;
  if (businessId !== undefined && !wellFormed(businessId)) invalid(provider, 'businessId must be a non-empty, well-formed string');
  if (scope !== undefined && !wellFormedList(scope)) invalid(provider, 'scope must be a string or an array of well-formed strings');
  if (resource !== undefined && !wellFormedList(resource)) invalid(provider, 'resource must be a string or an array of well-formed strings');
  if (forceRefresh !== undefined && typeof forceRefresh !== 'boolean') invalid(provider, 'forceRefresh must be a boolean');
  if (rejectedToken !== undefined && typeof rejectedToken !== 'string') invalid(provider, 'rejectedToken must be a string');
  if (fresh !== undefined && typeof fresh !== 'boolean') invalid(provider, 'fresh must be a boolean');
  if (signal !== undefined && !(signal instanceof AbortSignal)) invalid(provider, 'signal must be an AbortSignal');
}

function invalid(provider: string, what: string): never {
  throw new InvalidRequestError(`${provider} getToken: ${what}`, { provider });
}

// String.prototype.isWellFormed, spelled out for runtimes that predate ES2024. Almost no id has a
// surrogate at all: the cheap class test spares the hot path the look-behind.
const SURROGATE = /[\uD800-\uDFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const hasLoneSurrogate = (value: string): boolean => SURROGATE.test(value) && LONE_SURROGATE.test(value);

function wellFormed(value: unknown): boolean {
  return typeof value === 'string' && value !== '' && !hasLoneSurrogate(value);
}

/** A string, or an array of strings, none with a lone surrogate (empty strings are dropped later). */
function wellFormedList(value: unknown): boolean {
  if (typeof value === 'string') return !hasLoneSurrogate(value);
  if (!Array.isArray(value)) return false;
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i];
    if (typeof item !== 'string' || hasLoneSurrogate(item)) return false;
  }
  return true;
}
