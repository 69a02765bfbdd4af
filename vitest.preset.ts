import { defineConfig, mergeConfig, type ViteUserConfig } from 'vitest/config';

/**
 * The test run every package shares: its `test/` files, bounds generous enough for a shared
 * 2-core CI machine (never relied on for correctness), and the JSON results that
 * scripts/test-summary.mjs sums into the one `N passed, M failed` line CI reads.
 */
export function packageTestConfig(overrides: ViteUserConfig = {}) {
  return mergeConfig(
    defineConfig({
      test: {
        include: ['test/**/*.test.ts'],
        testTimeout: 20_000,
        hookTimeout: 30_000,
        reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
      },
    }),
    overrides,
  );
}
