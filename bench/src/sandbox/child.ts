// Child-process entry: runs a sandbox so its CPU (JWT signing, HTTP parsing) is not charged to
// the client under test. Options come as JSON in argv[2]; the parent drives it via the admin API.
import { startSandbox } from '@fintoken/sandbox';
import { describe } from './local.js';

const options = JSON.parse(process.argv[2] ?? '{}') as Parameters<typeof startSandbox>[0];
const sandbox = await startSandbox({ ...options, providers: ['layer', 'thredfi', 'asset', 'layer1'] });
process.send?.({ type: 'ready', info: describe(sandbox) });
process.on('disconnect', () => {
  void sandbox.close().then(() => process.exit(0));
});
