import { defineConfig } from 'vitest/config';

// Runs a provider package's own test suite under another Node (test/nodeVersions.test.ts), with
// the package's settings (packages/*/vitest.config.ts) but the JSON results written where that
// test reads them, so the package's own test-results.json (its Node 20 run) is left alone and
// the root summary counts each test once.
export default defineConfig({
  root: process.env.FINTOKEN_SUITE_ROOT,
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // One file at a time: this runs inside another test run, on a machine that is already busy,
    // and the suites' refresh-ahead tests wait on background work.
    fileParallelism: false,
    reporters: [['json', { outputFile: process.env.FINTOKEN_SUITE_RESULTS }]],
  },
});
