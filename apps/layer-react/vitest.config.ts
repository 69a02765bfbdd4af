import { packageTestConfig } from '../../vitest.preset.js';

// The end-to-end test watches Layer's components through two 20 s token rotations in Chromium.
export default packageTestConfig({ test: { testTimeout: 120_000 } });
