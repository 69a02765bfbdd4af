import { createRedactor } from '@fintoken/core';
import { Argument, Command, InvalidArgumentError, Option } from 'commander';
import { decodeToken, formatDecoded, formatDecodedJson } from './decode.js';
import type { Env } from './envFile.js';
import { exitCodeFor, exitCodes } from './exitCodes.js';
import { envHelp, exitCodeHelp } from './help.js';
import { processIo, type CliIo } from './io.js';
import { providerIds, type ProviderId } from './providers.js';
import packageJson from '../package.json' with { type: 'json' };
import { redactRefusedValues } from './redactArgs.js';
import { refuseCredentialFlags } from './refuseCredentialFlags.js';
import { runSandbox } from './sandboxCommand.js';
import { fetchToken, formatToken, type TokenOptions } from './token.js';

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

const integer = (min: number, max: number) => (value: string): number => {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) throw new InvalidArgumentError(`must be an integer from ${min} to ${max}`);
  return n;
};

// Words the CLI's own messages use, which redaction leaves alone.
const vocabulary = ['token', 'decode', 'sandbox', 'help', ...providerIds];

function build(io: CliIo, env: Env, remember: (values: string[]) => void, argv: readonly string[]): Command {
  const program = new Command('fintoken')
    .description('Access tokens for Layer, Thredfi, Asset and Layer1 from the command line.')
    .version(packageJson.version, '-V, --version', 'print the version of fintoken')
    .exitOverride()
    // Commander quotes what it refuses; a refused argument may be a misplaced secret.
    .configureOutput({ writeOut: io.out, writeErr: io.err, outputError: (text, write) => write(redactRefusedValues(text, argv, vocabulary)) })
    .showHelpAfterError('(add --help for usage)')
    .addHelpText('after', `\n${exitCodeHelp()}\n`);

  program
    .command('token')
    .description('Print an access token for a provider.')
    .addArgument(new Argument('<provider>', 'which provider').choices(providerIds))
    .option('--business <id>', 'a business-scoped token for this business (not layer1)')
    .option('--scope <scope>', 'request this scope (repeatable; asset)', collect)
    .option('--resource <url>', 'RFC 8707 resource indicator (repeatable; asset)', collect)
    .addOption(new Option('--json', 'print the whole token as JSON').conflicts('header'))
    .option('--header', 'print an "Authorization: Bearer ..." line, for curl -H "$(fintoken token layer --header)"')
    .option('--env-file <path>', 'read credentials from this dotenv file too')
    .option('--sandbox', 'start an embedded sandbox, get the token from it and stop it')
    .option('--seed <text>', 'with --sandbox: deterministic credentials and business ids (as `fintoken sandbox --seed`)')
    .option('--timeout <ms>', 'per-attempt timeout of the token request', integer(1, 600_000))
    .addHelpText('after', `\n${envHelp()}\n\nExamples:\n  fintoken token layer --env-file .env\n  curl -H "$(fintoken token asset --header --business biz_123)" https://api.getasset.com/...\n  fintoken token thredfi --sandbox --json\n`)
    .action(async (provider: ProviderId, options: TokenOptions) => {
      const token = await fetchToken(provider, options, env, remember);
      io.out(formatToken(provider, token, options));
    });

  program
    .command('decode')
    .description('Show the header, claims and times of a JWT. The signature is NOT verified.')
    .argument('<jwt>', 'the token, or - to read it from stdin (an "Authorization: Bearer" line is fine)')
    .option('--json', 'print as JSON')
    .addHelpText('after', '\nExample:\n  fintoken token layer --sandbox | fintoken decode -\n')
    .action(async (jwt: string, options: { json?: boolean }) => {
      const input = jwt === '-' ? await io.readStdin() : jwt;
      remember([input.trim()]);
      const decoded = decodeToken(input);
      io.out((options.json ? formatDecodedJson : formatDecoded)(decoded, Date.now()));
    });

  program
    .command('sandbox')
    .description('Run local emulators of the four providers\' auth endpoints until Ctrl-C.')
    .option('--port <n>', 'port to listen on (0 picks a free one)', integer(0, 65_535), 4010)
    .option('--host <host>', 'host to listen on', '127.0.0.1')
    .option('--seed <text>', 'deterministic credentials and business ids')
    .action(async (options: { port: number; host: string; seed?: string }) => {
      await runSandbox(options, io);
    });

  return program;
}

/**
 * Run the CLI and resolve to its exit status (see `exitCodes`). Errors go to stderr as one
 * line with the error's `code`, scrubbed of every credential and token the run has seen.
 * `fintoken sandbox` resolves once listening; the server keeps the process alive.
 */
export async function run(argv: string[], io: CliIo = processIo, env: Env = process.env): Promise<number> {
  const secrets: string[] = [];
  // `pnpm exec fintoken -- token …` and `npx @fintoken/cli -- …` pass their `--` along.
  if (argv[0] === '--') argv = argv.slice(1);
  try {
    refuseCredentialFlags(argv);
    await build(io, env, (values) => secrets.push(...values), argv).parseAsync(argv, { from: 'user' });
    return exitCodes.ok;
  } catch (error) {
    const code = exitCodeFor(error);
    // commander has already written its own message (or the help) through configureOutput.
    if ((error as { code?: unknown }).code?.toString().startsWith('commander.')) return code;
    const redact = createRedactor(secrets);
    const e = error instanceof Error ? error : new Error(String(error));
    const kind = 'code' in e && typeof e.code === 'string' ? e.code : `unexpected ${e.name}`;
    io.err(`fintoken: ${redact(e.message)} [${kind}]\n`);
    return code;
  }
}
