import { runCli, stopOnSignals } from './runCli.js';

runCli(process.argv.slice(2)).then(
  (sandbox) => {
    if (sandbox) stopOnSignals(sandbox);
  },
  (error: unknown) => {
    process.stderr.write(`fintoken-sandbox: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
