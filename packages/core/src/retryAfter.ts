/**
 * Parse a `Retry-After` header (RFC 9110 §10.2.3): delay-seconds or an HTTP-date, measured
 * against the response's own `Date` header when present so a skewed server clock cancels out.
 * Returns ms, or undefined when absent or unparseable.
 */
// null as well as undefined: what `Headers.get` answers for an absent header.
export function parseRetryAfter(value: string | null | undefined, dateHeader?: string | null, now: number = Date.now()): number | undefined {
  // An absent header (undefined here) matches neither form: no digits, and Date.parse gives NaN.
  const trimmed = value?.trim() as string;
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  // An absent or unparseable Date header: fall back to the local clock.
  return isNaN(at) ? undefined : Math.max(0, at - (Date.parse(dateHeader!) || now));
}
