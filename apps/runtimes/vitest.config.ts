import { packageTestConfig } from '../../vitest.preset.js';

export default packageTestConfig({
  test: {
    // Each file starts a runtime (Bun, Deno, workerd, `next start`) or a whole test suite under
    // another Node: generous bounds for a 2-core CI machine, never relied on for correctness.
    testTimeout: 60_000,
    // One runtime at a time: each file already runs a server or a whole suite in another process.
    fileParallelism: false,
    hookTimeout: 240_000,
  },
});
