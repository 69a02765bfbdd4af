const pad = (n: number, width = 2): string => String(Math.trunc(n)).padStart(width, '0');

/** `2026-11-25 16:01:02 +01:00` in the machine's local time zone (TZ), unambiguous and sortable. */
export function formatLocalTime(epochMs: number): string {
  const d = new Date(epochMs);
  const offset = -d.getTimezoneOffset();
  const sign = offset < 0 ? '-' : '+';
  const zone = `${sign}${pad(Math.abs(offset) / 60)}:${pad(Math.abs(offset) % 60)}`;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())} ${zone}`;
}

const UNITS: Array<[string, number]> = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
];

/** The two largest non-zero units of a duration, e.g. `4m 12s`, `2h 5m`, `0s`. */
export function formatDuration(ms: number): string {
  let rest = Math.abs(ms);
  const parts: string[] = [];
  for (const [unit, size] of UNITS) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0 || parts.length > 0) parts.push(`${count}${unit}`);
    if (parts.length === 2) break;
  }
  const shown = parts.filter((p, i) => i === 0 || !p.startsWith('0'));
  return shown.length === 0 ? '0s' : shown.join(' ');
}

/** `expires in 4m 12s` or `expired 3m ago`. */
export function describeExpiry(expMs: number, nowMs: number): string {
  return expMs > nowMs ? `expires in ${formatDuration(expMs - nowMs)}` : `expired ${formatDuration(nowMs - expMs)} ago`;
}

/** `3m 10s ago` or `in 5s` (a time in the future: the issuer's clock is ahead of ours). */
export function describeSince(atMs: number, nowMs: number): string {
  return atMs <= nowMs ? `${formatDuration(nowMs - atMs)} ago` : `in ${formatDuration(atMs - nowMs)}`;
}
