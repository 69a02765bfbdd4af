/** Human formatting for the report: thousands separators, fixed decimals, "n/a" for NaN. */
export function num(value: number, digits = 0): string {
  if (!Number.isFinite(value)) return 'n/a';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A ratio such as `12.3x`; fewer decimals once it is large. */
export function times(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${num(value, digits)}x`;
}

export function ms(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  // Cached calls take microseconds: "0.00 ms" would hide the difference.
  if (value < 1) return `${num(value * 1000, value < 0.01 ? 1 : 0)} µs`;
  return `${num(value, value < 10 ? 2 : value < 100 ? 1 : 0)} ms`;
}

export function bytes(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  return `${num(value, 0)} B`;
}

/** `1 run`, `3 runs`. */
export function count(n: number, word: string): string {
  return `${num(n)} ${word}${n === 1 ? '' : 's'}`;
}
