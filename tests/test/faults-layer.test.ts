import { describeFaults } from './support/faultSuite.js';
import { TARGETS } from './support/targets.js';
import { expectNoUnhandledRejections, trackUnhandledRejections } from './support/unhandled.js';

// Layer's client token and business-scoped token under every fault the sandbox can inject.
const rejections = trackUnhandledRejections();
for (const target of TARGETS.filter((t) => t.name.startsWith('layer '))) describeFaults(target);
expectNoUnhandledRejections(rejections);
