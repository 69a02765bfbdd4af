import { formatBanner, startSandbox, stopOnSignals, type Sandbox } from '@fintoken/sandbox';
import type { CliIo } from './io.js';

export interface SandboxCommandOptions {
  port: number;
  host: string;
  seed?: string;
}

/** Today's `fintoken-sandbox`: start the emulators, print the banner, stop on SIGINT/SIGTERM. */
export async function runSandbox(options: SandboxCommandOptions, io: CliIo): Promise<Sandbox> {
  const sandbox = await startSandbox({ port: options.port, host: options.host, ...(options.seed === undefined ? {} : { seed: options.seed }) });
  io.out(formatBanner(sandbox));
  stopOnSignals(sandbox, io);
  return sandbox;
}
