/**
 * Parse a `Retry-After` header (RFC 9110 §10.2.3): delay-seconds or an HTTP-date, measured
 * against the response's own `Date` header when present so a skewed server clock cancels out.
 * Returns ms, or undefined when absent or unparseable.
 */
// null as well as undefined: what `Headers.get` answers for an absent header.
export function parseRetryAfter(value: string | null | undefined, dateHeader?: string | null, now: number = Date.now()): number | undefined {
  if (value == null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  // An absent or unparseable Date header: fall back to the local clock.
  const serverNow = Date.parse(dateHeader!) || now;
  return Number.isNaN(at) ? undefined : Math.max(0, at - serverNow);
}
