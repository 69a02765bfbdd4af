import { describeFaults } from './support/faultSuite.js';
import { TARGETS } from './support/targets.js';
import { expectNoUnhandledRejections, trackUnhandledRejections } from './support/unhandled.js';

// Asset's business-scoped token (absolute expires_in) and Layer1's 5-minute token under every fault.
const rejections = trackUnhandledRejections();
for (const target of TARGETS.filter((t) => t.name.startsWith('asset ') || t.name.startsWith('layer1 '))) describeFaults(target);
expectNoUnhandledRejections(rejections);
