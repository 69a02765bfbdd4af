import { parseArgs } from 'node:util';
import { formatBanner } from './banner.js';
import { startSandbox } from './sandbox.js';
import type { Sandbox } from './types.js';

export const usage = `Usage: fintoken-sandbox [--port 4010] [--host 127.0.0.1] [--seed demo]

Starts local emulators of the Layer, Thredfi, Asset and Layer1 auth endpoints.

  --port <n>     port to listen on (default 4010; 0 picks a free one)
  --host <host>  host to listen on (default 127.0.0.1)
  --seed <text>  deterministic credentials and business ids
  --help         show this help
`;

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

const defaultIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/** Parses argv and starts a sandbox; resolves to it, or to undefined after --help or a usage error (exitCode set). */
export async function runCli(argv: string[], io: CliIo = defaultIo): Promise<Sandbox | undefined> {
  let values: { port?: string; host?: string; seed?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        seed: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${usage}`);
    process.exitCode = 2;
    return undefined;
  }
  if (values.help) {
    io.out(usage);
    return undefined;
  }
  const port = Number(values.port ?? '4010');
  if (!/^\d+$/.test(values.port ?? '4010') || port > 65535) {
    io.err(`--port must be an integer in 0..65535\n\n${usage}`);
    process.exitCode = 2;
    return undefined;
  }
  const sandbox = await startSandbox({ port, host: values.host, seed: values.seed });
  io.out(formatBanner(sandbox));
  return sandbox;
}

/** Closes the sandbox on SIGINT/SIGTERM, then lets the process exit on its own. */
export function stopOnSignals(sandbox: Sandbox, io: CliIo = defaultIo): void {
  const stop = (signal: NodeJS.Signals): void => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    io.out(`\n${signal}: stopping the sandbox\n`);
    sandbox.close().then(
      () => {},
      (error: unknown) => {
        io.err(`${String(error)}\n`);
        process.exitCode = 1;
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
