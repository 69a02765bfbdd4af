/**
 * Errors you can switch on (jose's `JOSEError.code` pattern): one base class with a stable
 * `code`, a subclass per kind of failure. No field ever holds a secret or a token: messages
 * that quote a provider pass through a redactor first.
 */
export type FintokenErrorCode =
  | 'ERR_FINTOKEN'
  | 'ERR_CONFIGURATION'
  | 'ERR_INVALID_REQUEST'
  | 'ERR_AUTHENTICATION'
  | 'ERR_PROVIDER'
  | 'ERR_RESPONSE_VALIDATION'
  | 'ERR_TIMEOUT'
  | 'ERR_NETWORK'
  | 'ERR_ABORTED'
  | 'ERR_UNSUPPORTED';

export interface FintokenErrorOptions {
  provider?: string;
  cause?: unknown;
}

// The option fields an error keeps, named so nothing else a caller passes becomes a field.
// One copy loop here instead of a constructor per subclass: @fintoken/fetch's browser budget.
const FIELDS = ['provider', 'status', 'providerCode', 'type', 'errorEnum', 'retryAfterMs', 'field'] as const;

// A code spelled out from the `name` field (set just before it): 'ResponseValidationError' is
// 'ERR_RESPONSE_VALIDATION'. Shorter in a browser bundle than a second string per class; the
// field's type still names the literal, and AbortError ('ERR_ABORTED') spells its own.
const codeOf = <C extends FintokenErrorCode>(error: Error): C =>
  `ERR_${error.name.slice(0, -5).replace(/\B(?=[A-Z])/g, '_').toUpperCase()}` as C;

export class FintokenError extends Error {
  // A literal, not new.target.name: minifiers rename classes in browser bundles.
  override readonly name: string = 'FintokenError';
  readonly code: FintokenErrorCode = codeOf(this);
  // `declare`: set by the constructor's copy loop, not redefined as undefined after it.
  declare readonly provider?: string;

  constructor(message: string, options: FintokenErrorOptions = {}) {
    // Error reads only `cause` from its options (ES2022 InstallErrorCause).
    super(message, options);
    for (const k of FIELDS) {
      const v = (options as Record<string, unknown>)[k];
      if (v !== undefined) (this as Record<string, unknown>)[k] = v;
    }
  }

  toJSON(): Record<string, unknown> {
    // Own enumerable fields only: `message`, `stack` and `cause` (which may hold anything) are not
    // enumerable (ES2022 InstallErrorCause), and the constructor never sets an undefined field.
    return { name: this.name, code: this.code, message: this.message, ...(this as object) };
  }
}

/** Options given to a factory are missing or invalid. The message names the field, never its value. */
export class ConfigurationError extends FintokenError {
  override readonly name: string = 'ConfigurationError';
  override readonly code: 'ERR_CONFIGURATION' = codeOf(this);
}

/** A `getToken`/`fetch` argument is invalid (e.g. a business id that is not a uuid). Nothing was sent. */
export class InvalidRequestError extends FintokenError {
  override readonly name: string = 'InvalidRequestError';
  override readonly code: 'ERR_INVALID_REQUEST' = codeOf(this);
}

export interface ProviderErrorOptions extends FintokenErrorOptions {
  status: number;
  /** The provider's machine-readable error (`error`, or Layer's `error_enum`). */
  providerCode?: string;
  /** Layer's `ApiError.type`. */
  type?: string;
  /** Layer's `ApiError.error_enum`. */
  errorEnum?: string;
  /** Parsed `Retry-After`, in ms, when the provider sent one. */
  retryAfterMs?: number;
}

/** The provider answered with an error status. */
export class ProviderError extends FintokenError {
  override readonly name: string = 'ProviderError';
  override readonly code: FintokenErrorCode = codeOf(this);
  declare readonly status: number;
  declare readonly providerCode?: string;
  declare readonly type?: string;
  declare readonly errorEnum?: string;
  declare readonly retryAfterMs?: number;

  // Only to require `status`; the base constructor copies the fields.
  constructor(message: string, options: ProviderErrorOptions) {
    super(message, options);
  }
}

/** The provider rejected the credentials (or the token used to mint another). Not retried. */
export class AuthenticationError extends ProviderError {
  override readonly name: string = 'AuthenticationError';
  override readonly code: 'ERR_AUTHENTICATION' = codeOf(this);
}

/** A response did not match the provider's documented schema. */
export class ResponseValidationError extends FintokenError {
  override readonly name: string = 'ResponseValidationError';
  override readonly code: 'ERR_RESPONSE_VALIDATION' = codeOf(this);
  /** Dotted path of the offending field, e.g. `access_token`, or `(body)` for the body as a whole. */
  declare readonly field: string;
  declare readonly status?: number;

  constructor(message: string, options: FintokenErrorOptions & { field: string; status?: number }) {
    super(message, options);
  }
}

/** Connecting, waiting for headers or reading the body took longer than allowed. */
export class TimeoutError extends FintokenError {
  override readonly name: string = 'TimeoutError';
  override readonly code: 'ERR_TIMEOUT' = codeOf(this);
}

/** The connection failed (refused, reset, DNS). */
export class NetworkError extends FintokenError {
  override readonly name: string = 'NetworkError';
  override readonly code: 'ERR_NETWORK' = codeOf(this);
}

/** The caller's `AbortSignal` fired. */
export class AbortError extends FintokenError {
  override readonly name: string = 'AbortError';
  override readonly code = 'ERR_ABORTED' as const;
}

/** The provider cannot do what was asked (e.g. Layer1 has no business-scoped tokens). */
export class UnsupportedError extends FintokenError {
  override readonly name: string = 'UnsupportedError';
  override readonly code: 'ERR_UNSUPPORTED' = codeOf(this);
}

/** Retry policy: network errors, timeouts, 408, 429 and 5xx are worth another attempt. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof NetworkError || error instanceof TimeoutError) return true;
  if (error instanceof AuthenticationError) return false;
  if (error instanceof ProviderError) {
    const s = error.status;
    return s === 408 || s === 429 || s >= 500;
  }
  return false;
}

/** Turn anything thrown into a FintokenError without copying foreign fields (they may hold secrets). */
export function toFintokenError(error: unknown, provider?: string): FintokenError {
  if (error instanceof FintokenError) return error;
  const options: FintokenErrorOptions = {};
  if (provider !== undefined) options.provider = provider;
  const name = error instanceof Error ? error.name : 'Error';
  return new FintokenError(`Unexpected ${name} while getting a token`, options);
}
