/**
 * Parse a `Retry-After` header (RFC 9110 §10.2.3): delay-seconds or an HTTP-date, measured
 * against the response's own `Date` header when present so a skewed server clock cancels out.
 * Returns ms, or undefined when absent or unparseable.
 */
export function parseRetryAfter(value: string | undefined, dateHeader?: string, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  const serverNow = dateHeader === undefined ? Number.NaN : Date.parse(dateHeader);
  return Math.max(0, at - (Number.isNaN(serverNow) ? now : serverNow));
}
