import type { FintokenEvent } from '@fintoken/core';

/**
 * Attribute names, in the OpenTelemetry semantic-conventions style: registered names where one
 * exists (`error.type`, `http.*`, `url.*`, `server.*`), a `fintoken.` namespace for the rest.
 */
export const ATTR_PROVIDER = 'fintoken.provider';
export const ATTR_REASON = 'fintoken.reason';
export const ATTR_OUTCOME = 'fintoken.outcome';
export const ATTR_CACHE_RESULT = 'fintoken.cache.result';
export const ATTR_STORE_OPERATION = 'fintoken.store.operation';
export const ATTR_ERROR_TYPE = 'error.type';

/** Semantic conventions: the fallback when an error has no known low-cardinality type. */
const OTHER = '_OTHER';

// Every attribute value comes from a closed set, so a metric has a bounded number of series
// however many businesses, scopes or keys pass through (no key, token or business id is ever used).
const REASONS = new Set(['miss', 'expired', 'refresh-ahead', 'forced']);
const STORE_OPERATIONS = new Set(['get', 'set', 'lock', 'release', 'wait']);
const ERROR_CODE = /^ERR_[A-Z_]{1,40}$/;

export function providerOf(event: FintokenEvent): string {
  return event.provider ?? 'unknown';
}

export function reasonOf(event: FintokenEvent): string {
  return event.reason !== undefined && REASONS.has(event.reason) ? event.reason : OTHER;
}

/** A fintoken error's stable `code` (e.g. `ERR_AUTHENTICATION`); never its message, which may quote the provider. */
export function errorTypeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' && ERROR_CODE.test(code) ? code : OTHER;
}

/** Which store call failed: core's `store.error` names it in `reason` (a closed set, kept closed here). */
export function storeOperationOf(event: FintokenEvent): string {
  const operation = event.reason;
  return operation !== undefined && STORE_OPERATIONS.has(operation) ? operation : OTHER;
}
