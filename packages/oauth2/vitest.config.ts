import { packageTestConfig } from '../../vitest.preset.js';

export default packageTestConfig();
