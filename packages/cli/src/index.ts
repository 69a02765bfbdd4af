// @fintoken/cli: every public export by name. The `fintoken` binary is bin/fintoken.js.
export { run } from './program.js';
export type { CliIo } from './io.js';
export { exitCodeFor, exitCodes } from './exitCodes.js';
export type { ExitCode } from './exitCodes.js';
export { loadEnv, parseEnvFile } from './envFile.js';
export type { Env } from './envFile.js';
export { providerIds } from './providers.js';
export type { EnvVar, ProviderId } from './providers.js';
