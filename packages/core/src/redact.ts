/** What replaces a secret wherever text might leave the library. */
export const REDACTED = '[REDACTED]';

// Three base64url segments starting with a JSON header: a JWT (RFC 7519 §3), whoever issued it.
const JWT_PATTERN = /eyJ[\w-]{2,}\.[\w-]{2,}\.[\w-]*/g;
const BEARER_PATTERN = /\b(Bearer|Basic)\s+[\w.~+/=-]{8,}/gi;
const MAX_DYNAMIC = 64;
const MAX_KEPT = 256;

export interface Redactor {
  (text: string): string;
  /** Remember another value to scrub (e.g. a token this client used as a Bearer). Bounded. */
  add(secret: string | undefined): void;
  /** Remember secrets for the client's whole life (a credential read from a function, in every form it travels in). */
  keep(secrets: ReadonlyArray<string>): void;
}

/**
 * A function that scrubs known secrets, JWTs and Authorization credentials from text, used on
 * every provider-supplied string before it enters an error message (providers sometimes echo
 * credentials back).
 */
export function createRedactor(secrets: Array<string | undefined> = []): Redactor {
  const fixed = secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4);
  const dynamic: string[] = [];
  const redact = ((text: string): string => {
    let out = text;
    for (const s of fixed) if (out.includes(s)) out = out.split(s).join(REDACTED);
    for (const s of dynamic) if (out.includes(s)) out = out.split(s).join(REDACTED);
    return out.replace(JWT_PATTERN, REDACTED).replace(BEARER_PATTERN, `$1 ${REDACTED}`);
  }) as Redactor;
  redact.keep = (secrets) => {
    for (const s of secrets) if (s.length >= 4 && !fixed.includes(s)) fixed.push(s);
    // A secret rotated every hour for a year is still a few thousand strings; beyond that, the oldest go.
    if (fixed.length > MAX_KEPT) fixed.splice(0, fixed.length - MAX_KEPT);
  };
  redact.add = (secret) => {
    if (typeof secret !== 'string' || secret.length < 8 || dynamic.includes(secret)) return;
    dynamic.push(secret);
    if (dynamic.length > MAX_DYNAMIC) dynamic.shift();
  };
  return redact;
}

/** Node's `util.inspect` hook, by its registered symbol so this file stays platform-neutral. */
export const inspectSymbol: unique symbol = Symbol.for('nodejs.util.inspect.custom') as never;
