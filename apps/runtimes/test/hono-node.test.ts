import { join } from 'node:path';
import { packageDir } from './support/binaries.js';
import { startServer } from './support/child.js';
import { describeContract } from './support/contract.js';

// Hono on Node (@hono/node-server), in a child Node process: the machine's Node.
describeContract('Hono on Node', (env) => startServer(process.execPath, [join(packageDir, 'servers/hono-node.mjs')], { cwd: packageDir, env }));
