/** Who `authorize` let through: the business, and the signed-in user when it names one. */
export interface AuthorizedIdentity {
  /** The business the token is scoped to. */
  businessId: string;
  /** The signed-in user (the session's user id): the rate limit's bucket when given. */
  subject?: string;
}

/**
 * What `authorize` returns: the business id the signed-in user may act for, the same with the
 * user (`{ businessId, subject }`), or a falsy value to refuse (403).
 */
export type AuthorizeResult = string | AuthorizedIdentity | null | undefined | false;

/** An object result that is not a well-formed identity: a bug in `authorize`, answered 500. */
export const MALFORMED = Symbol('malformed');

/**
 * Read an object `authorize` returned, once (a getter is read one time). It must carry a
 * non-empty string `businessId` and, if any, a non-empty string `subject`: an object is
 * `authorize` saying yes, so anything else (`{ businessId: undefined }`, an array, a String
 * object) is a bug, and failing closed beats guessing. An empty `subject` would put every such
 * user in one rate-limit bucket.
 */
export function identityOf(result: object): AuthorizedIdentity | typeof MALFORMED {
  const { businessId, subject } = result as Record<string, unknown>;
  if (typeof businessId !== 'string' || businessId === '') return MALFORMED;
  if (subject === undefined) return { businessId };
  if (typeof subject !== 'string' || subject === '') return MALFORMED;
  return { businessId, subject };
}

/**
 * Fields of a token request that steer the cache, not the token: `request` extras naming one are
 * refused. From a callback that reads the browser's request they would let the page decide
 * (`forceRefresh`: a mint per request, past the rejected-token bound; `fresh`/`rejectedToken`:
 * the endpoint's own choices; `signal`: an abort the page could trigger).
 */
const CONTROL_FIELDS = ['forceRefresh', 'rejectedToken', 'fresh', 'signal'] as const;
const own = Object.prototype.propertyIsEnumerable;

/** True when `extras` is something a token request may be built from: nothing, or an object without control fields. */
export function isSafeExtras(extras: unknown): extras is Record<string, unknown> | null | undefined {
  if (extras === undefined || extras === null) return true;
  if (typeof extras !== 'object' || Array.isArray(extras)) return false;
  // Own enumerable keys are what the spread into the token request copies.
  for (const field of CONTROL_FIELDS) if (own.call(extras, field)) return false;
  return true;
}
