import { packageTestConfig } from '../../vitest.preset.js';

// workerd starts in each test file's beforeAll: slower than a Node test on a busy 2-core machine.
export default packageTestConfig({ test: { testTimeout: 60_000, hookTimeout: 90_000 } });
