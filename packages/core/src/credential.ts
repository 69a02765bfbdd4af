import { AuthenticationError, ConfigurationError, FintokenError } from './errors.js';

/**
 * A secret (client secret, API key, private key) as a factory option: the value itself, or a
 * function returning it, sync or async (a secrets manager, a mounted file), so that a credential
 * rotated at the provider needs no restart.
 */
export type CredentialInput<T> = T | (() => T | Promise<T>);

/** One credential of a client, read when first needed and read again when the provider refuses it. */
export interface Credential<T> {
  /** Given as a function, so that reading it again can change it. */
  readonly rotates: boolean;
  /** The value to use now: read once, then kept until the provider refuses it. */
  current(): Promise<T>;
  /**
   * The provider refused `used`: read the credential again, once for every caller that saw the
   * same refusal (a read already done since `used` was current counts). True when the value
   * changed, so one more attempt is worth making; always false for a fixed value.
   */
  reread(used: T): Promise<boolean>;
}

export interface CredentialOptions<T> {
  /** The option's name, for messages: `clientSecret`, `apiKey`, `privateKey`. */
  name: string;
  /** The factory's name, for messages: `createLayerClient`. */
  factory: string;
  /** Whether a value read from the function is usable; the message never shows the value. */
  accept: (value: unknown) => value is T;
  /** What a usable value is, for the message: `a non-empty string`. */
  expected: string;
  /** Called with every value read, before it is used (e.g. to add it to the client's redactor). */
  onValue?: (value: T) => void;
}

/**
 * The credential behind an option. A fixed value is checked at once (the factory throws); a
 * function is called on first use and after a refusal, never at construction. A function that
 * throws or returns something unusable fails the token request with a `ConfigurationError`
 * that names the option, never the value or the thrown message (it could quote the secret).
 */
export function createCredential<T>(input: CredentialInput<T>, options: CredentialOptions<T>): Credential<T> {
  if (typeof input !== 'function') {
    if (!options.accept(input)) throw unusable(options, 'is required and must be');
    options.onValue?.(input);
    const value = Promise.resolve(input);
    return { rotates: false, current: () => value, reread: () => Promise.resolve(false) };
  }
  const read = input as () => T | Promise<T>;
  let value: T | undefined;
  let pending: Promise<T> | undefined;

  const load = (): Promise<T> => {
    pending ??= (async () => {
      let next: unknown;
      try {
        next = await read();
      } catch (error) {
        throw new ConfigurationError(
          `${options.factory}: the ${options.name} function failed (${error instanceof Error ? error.name : typeof error}); nothing was sent`,
        );
      }
      if (!options.accept(next)) throw unusable(options, 'function returned something that is not');
      options.onValue?.(next);
      value = next;
      return next;
    })().finally(() => {
      pending = undefined;
    });
    return pending;
  };

  return {
    rotates: true,
    current: () => (value === undefined ? load() : Promise.resolve(value)),
    async reread(used) {
      // Another caller's read replaced the refused value already: that one is worth a try.
      if (pending === undefined && value !== undefined && value !== used) return true;
      const next = await load();
      return next !== used;
    },
  };
}

/**
 * Run a token request with the credential's current value. When the provider refuses the
 * credentials (`AuthenticationError`: `invalid_client`, or its documented equivalent) and the
 * credential, read again, has changed, try once more with the new value; the first refusal
 * reaches no caller then. Any other error, or a refusal of an unchanged credential, is thrown.
 */
export async function withCredential<T, R>(credential: Credential<T>, call: (value: T) => Promise<R>): Promise<R> {
  const used = await credential.current();
  try {
    return await call(used);
  } catch (error) {
    if (!credential.rotates || !(error instanceof AuthenticationError)) throw error;
    let changed: boolean;
    try {
      changed = await credential.reread(used);
    } catch (readError) {
      // The refusal is what the caller needs to see; the failed read is said in its message.
      throw readError instanceof FintokenError ? readError : error;
    }
    if (!changed) throw error;
    return call(await credential.current());
  }
}

function unusable<T>(options: CredentialOptions<T>, what: string): ConfigurationError {
  return new ConfigurationError(`${options.factory}: invalid options: ${options.name}: ${what} ${options.expected} (or a function returning one)`);
}

/** A non-empty string: what a client secret or API key must be. */
export const isSecretString = (value: unknown): value is string => typeof value === 'string' && value.length > 0;
