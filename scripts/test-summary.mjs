// Sums every workspace package's vitest JSON results (written by each vitest.config.ts) into the
// one line CI reads: "N passed, M failed".
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const dirs = [];
for (const group of ['packages', 'apps']) {
  const base = join(root, group);
  if (existsSync(base)) for (const name of readdirSync(base)) dirs.push(join(base, name));
}
dirs.push(join(root, 'bench'), join(root, 'tests'));

let passed = 0;
let failed = 0;
let skipped = 0;
for (const dir of dirs) {
  const file = join(dir, 'test-results.json');
  if (!existsSync(file)) continue;
  try {
    const r = JSON.parse(readFileSync(file, 'utf8'));
    passed += r.numPassedTests ?? 0;
    failed += (r.numFailedTests ?? 0) + (r.success === false && !r.numFailedTests ? 1 : 0);
    skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
    console.log(`  ${dir.slice(root.length)}: ${r.numPassedTests ?? 0} passed, ${r.numFailedTests ?? 0} failed`);
  } catch {
    failed += 1;
    console.log(`  ${dir.slice(root.length)}: unreadable test results`);
  }
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
