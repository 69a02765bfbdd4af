import { inspect } from 'node:util';

/** Every way an error or event could be shown or logged. */
export function renderings(value: unknown): string[] {
  const out = [inspect(value, { depth: 10, showHidden: true }), JSON.stringify(value) ?? ''];
  if (value instanceof Error) out.push(String(value), value.message, value.stack ?? '', inspect(value.cause, { depth: 10 }));
  return out;
}

/** The secrets that appear in any rendering of any of `values` (expected: none). */
export function leaked(values: unknown[], secrets: string[]): string[] {
  const texts = values.flatMap(renderings);
  return secrets.filter((secret) => texts.some((text) => text.includes(secret))).map((s) => `${s.slice(0, 8)}...`);
}
