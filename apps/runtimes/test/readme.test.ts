import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageDir, repoRoot } from './support/binaries.js';
import { chromiumFile, contractRuntimes, nodeVersionsFile, renderRuntimeTable, runtimeRows } from './support/runtimeTable.js';

const START = '<!-- runtime-table:start -->';
const END = '<!-- runtime-table:end -->';

function readmeTable(): string {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  expect(start, `README.md has no ${START} marker`).toBeGreaterThan(-1);
  expect(end).toBeGreaterThan(start);
  return readme.slice(start + START.length, end).trim();
}

describe('the README runtime table', () => {
  const rows = runtimeRows(repoRoot);

  it('is exactly the table the runtime tests prove (regenerate it from this expected value)', () => {
    expect(readmeTable()).toBe(renderRuntimeTable(rows));
  });

  it('names only test files and folders that exist', () => {
    const named = new Set(rows.flatMap((row) => Object.values(row.cells)));
    expect([...named].filter((path) => !existsSync(join(repoRoot, path)))).toEqual([]);
  });

  it('names, for each runtime, the file that runs the contract there', () => {
    for (const { label, file } of contractRuntimes) {
      expect(readFileSync(join(repoRoot, file), 'utf8'), file).toContain(`describeContract('${label}'`);
    }
    // The Chromium row's file launches Chromium itself or through the package's browser harness.
    const chromium = readFileSync(join(repoRoot, chromiumFile), 'utf8');
    const harness = /from '\.\/support\/browserHarness\.js'/.test(chromium) ? readFileSync(join(repoRoot, dirname(chromiumFile), 'support/browserHarness.ts'), 'utf8') : '';
    expect(chromium + harness).toContain('chromium.launch');
  });

  it('has a row for every runtime test in this package', () => {
    const tests = readdirSync(join(packageDir, 'test')).filter((name) => name.endsWith('.test.ts'));
    const named = new Set([...contractRuntimes.map(({ file }) => file), nodeVersionsFile, 'apps/runtimes/test/readme.test.ts']);
    expect(tests.map((name) => `apps/runtimes/test/${name}`).filter((file) => !named.has(file))).toEqual([]);
  });
});
