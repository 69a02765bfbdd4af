import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runFintoken } from './helpers.js';

// A secret typed in the wrong place, as a user (or a script building argv) would.
const SECRET = 'sk_live_canary9f2c71d04be3a5';
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

describe('the real binary never repeats a refused argument', () => {
  it.each([
    ['an unknown --opt=value', ['token', 'layer', `--token=${SECRET}`], /unknown option '--token'/],
    ['an unknown --opt value', ['token', 'layer', '--token', SECRET], /unknown option '--token'/],
    ['an unknown short option with its value attached', ['token', 'layer', `-t${SECRET}`], /unknown option '-t'/],
    ['an unknown option that is itself the secret', ['token', 'layer', `--${SECRET}`], /unknown option \(value not shown\)/],
    ['an unknown command', [SECRET], /unknown command \(value not shown\)/],
    ['an invalid choice', ['token', SECRET], /value \(value not shown\) is invalid for argument 'provider'\. Allowed choices are layer, thredfi, asset, layer1/],
    ['an invalid option value (--opt value)', ['token', 'layer', '--timeout', SECRET], /option '--timeout <ms>' argument \(value not shown\) is invalid/],
    ['an invalid option value (--opt=value)', ['token', 'layer', `--timeout=${SECRET}`], /option '--timeout <ms>' argument \(value not shown\) is invalid/],
    ['excess arguments', ['token', 'layer', 'extra', SECRET], /too many arguments for 'token'/],
    ['excess arguments to decode', ['decode', 'a.b.c', SECRET], /too many arguments for 'decode'/],
  ])('%s: exit 2, the message names the problem, never the value', async (_kind, args, message) => {
    const result = await runFintoken(args);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toContain(SECRET);
    // Not a prefix or a tail of it either.
    expect(result.stderr).not.toContain(SECRET.slice(0, 12));
    expect(result.stderr).not.toContain(SECRET.slice(-12));
  });

  it('still suggests the option or command meant, from its own names', async () => {
    expect((await runFintoken(['token', 'layer', '--bussiness', 'b'])).stderr).toMatch(/Did you mean --business\?/);
    expect((await runFintoken(['tokn'])).stderr).toMatch(/Did you mean token\?/);
  });
});

describe('fintoken --version', () => {
  it.each([['--version'], ['-V']])('%s prints the package version on stdout and exits 0', async (flag) => {
    const result = await runFintoken([flag]);
    expect(result).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: '' });
  });
});

describe('--env-file problems exit 2, as the README table says, when run as `fintoken`', () => {
  it.each([
    ['--env-file', 'nope.env'],
    ['--env-file=nope.env'],
  ])('%s: a file that does not exist is fintoken’s own exit 2, not Node’s exit 9', async (...flag) => {
    // Through the shebang, as a shell (or npm's and pnpm's bin shims) runs it.
    const result = await runFintoken(['token', 'layer', ...flag], { shebang: true });
    expect(result.stderr).not.toMatch(/^node:/m);
    expect(result.stderr).toBe('fintoken: --env-file: cannot read nope.env (ENOENT) [ERR_CONFIGURATION]\n');
    expect(result.code).toBe(2);
  });

  it('accepts the `--` a package manager passes along (`pnpm exec fintoken -- token …`)', async () => {
    const result = await runFintoken(['--', 'token', 'layer', '--env-file', 'nope.env'], { shebang: true });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--env-file: cannot read nope.env (ENOENT)');
  });
});
