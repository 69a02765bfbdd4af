import { run } from './program.js';

run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // run() catches everything; this is a last resort that prints no message (it could hold a secret).
    process.stderr.write(`fintoken: unexpected ${error instanceof Error ? error.name : 'error'}\n`);
    process.exitCode = 1;
  },
);
