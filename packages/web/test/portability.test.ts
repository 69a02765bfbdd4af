import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// @fintoken/web runs on workerd and other edge runtimes: Web APIs and @fintoken/core only. This
// reads every import of the source and of the built package (what users actually load).
const root = fileURLToPath(new URL('..', import.meta.url));
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm;

function importsOf(dir: string, extension: RegExp): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const file of readdirSync(`${root}${dir}`).filter((name) => extension.test(name))) {
    const text = readFileSync(`${root}${dir}/${file}`, 'utf8');
    found.set(file, [...text.matchAll(IMPORT)].map((match) => match[1] as string));
  }
  return found;
}

describe('runs on fetch-only runtimes', () => {
  it.each([
    ['src', /\.ts$/],
    ['dist', /\.(c?js)$/],
  ])('%s imports nothing but @fintoken/core (root and provider kit) and its own files', (dir, extension) => {
    const files = importsOf(dir, extension);
    expect(files.size).toBeGreaterThan(3);
    for (const [file, specifiers] of files) {
      for (const specifier of specifiers) {
        expect(specifier.startsWith('.') || specifier === '@fintoken/core' || specifier === '@fintoken/core/provider', `${dir}/${file} imports ${specifier}`).toBe(true);
      }
    }
  });

  it('uses no Node global (Buffer, process) in its source', () => {
    for (const [file] of importsOf('src', /\.ts$/)) {
      const code = readFileSync(`${root}src/${file}`, 'utf8').replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '');
      expect(code, file).not.toMatch(/\b(Buffer|process|__dirname|setImmediate)\b/);
    }
  });
});
