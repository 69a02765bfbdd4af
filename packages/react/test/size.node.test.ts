import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { runSizeLimit } from '../../fetch/test/support/sizeLimit.js';

// Budgets live in .size-limit.json; bench/RESULTS.md reports them next to peers.
it('stays within the size budgets of .size-limit.json (min+gz, size-limit 12)', async () => {
  const checks = await runSizeLimit(fileURLToPath(new URL('..', import.meta.url)));
  expect(checks.map((c) => c.name)).toContain('@fintoken/react: useBusinessToken, own code (react and @fintoken/fetch excluded)');
  for (const check of checks) expect({ name: check.name, size: check.size, passed: check.size <= (check.sizeLimit ?? 0) }).toEqual({ name: check.name, size: check.size, passed: true });
}, 120_000);
