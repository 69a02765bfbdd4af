import { readFile } from 'node:fs/promises';
import { ConfigurationError } from '@fintoken/core';

/** The environment the CLI reads: `process.env`, or a plain object in tests. */
export type Env = Readonly<Record<string, string | undefined>>;

const LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*)$/;
const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

/** One value: "double" (with \n, \t, \", \\ escapes), 'single' or `backtick` (literal), or bare up to a ` #` comment. */
function parseValue(raw: string): string | undefined {
  const quote = raw[0];
  if (quote !== '"' && quote !== "'" && quote !== '`') return raw.replace(/(^|\s+)#.*$/, '').trim();
  let close = 1;
  // Inside double quotes a backslash escapes the next character, a quote included.
  while (close < raw.length && raw[close] !== quote) close += quote === '"' && raw[close] === '\\' ? 2 : 1;
  if (close >= raw.length) return undefined;
  const rest = raw.slice(close + 1).trim();
  if (rest !== '' && !rest.startsWith('#')) return undefined;
  const inner = raw.slice(1, close);
  return quote === '"' ? inner.replace(/\\(.)/g, (m, c: string) => ESCAPES[c] ?? m) : inner;
}

/**
 * Parse dotenv text: `KEY=VALUE` lines, an optional `export ` prefix, `#` comments, quoted values.
 * A malformed line raises `ConfigurationError` naming its number, never its content (it may hold
 * a secret).
 */
export function parseEnvFile(text: string, source = 'env file'): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  lines.forEach((line, index) => {
    if (line.trim() === '' || line.trim().startsWith('#')) return;
    const match = LINE.exec(line);
    const value = match ? parseValue((match[2] as string).trim()) : undefined;
    if (!match || value === undefined) {
      throw new ConfigurationError(`${source}: line ${index + 1} is not KEY=VALUE (or has an unclosed quote)`);
    }
    out[match[1] as string] = value;
  });
  return out;
}

/**
 * The environment with a dotenv file under it. Like dotenv's default, a variable already set
 * (non-empty) in the environment wins over the file, so `LAYER_ENVIRONMENT=production fintoken
 * ... --env-file .env` overrides one value without editing the file.
 */
export async function loadEnv(env: Env, path: string | undefined): Promise<Env> {
  if (path === undefined) return env;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new ConfigurationError(`--env-file: cannot read ${path} (${code})`);
  }
  const merged: Record<string, string | undefined> = parseEnvFile(text, `--env-file ${path}`);
  for (const [key, value] of Object.entries(env)) if (value !== undefined && value !== '') merged[key] = value;
  return merged;
}
