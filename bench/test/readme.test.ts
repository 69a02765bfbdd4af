import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Every command the READMEs promise, as written, so that a script change that breaks one (the
// root `bench` script once forwarded a stray `--` and `pnpm bench --quick` died in parseArgs)
// cannot land. What runs:
// - `pnpm bench …` (every form): the string exactly as written plus `--help`. The runner parses
//   every flag strictly before it honours --help, so a flag that does not reach it intact fails
//   here; one real run (`pnpm bench --quick --only 401-storm`) proves the path end to end.
// - `pnpm start`: started as written (PORT=0 in the environment), its URL answered, then stopped.
// - `pnpm build|lint|typecheck`: as written plus turbo's `--dry-run=json` (the task graph resolves
//   without running tasks); `pnpm changeset` with `--help`.
// - `pnpm test`, `pnpm --filter @fintoken/bench test`: CI runs `pnpm test` itself and this test is
//   part of it, so it only checks that the script and what it calls resolve, never runs them.
// - `npm install -g pnpm@X`, `pnpm install --frozen-lockfile`: not run (global install,
//   node_modules); the pin must be the pnpm in use and `.ci/run` must run that same line.
const root = fileURLToPath(new URL('../..', import.meta.url));
const read = (path: string) => readFileSync(join(root, path), 'utf8');

/** The commands of every ```sh block, comments and blank lines dropped, `&&` chains split. */
export function shCommands(markdown: string): string[] {
  const blocks = [...markdown.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] as string);
  return blocks
    .flatMap((block) => block.split('\n'))
    .map((line) => line.replace(/\s+#.*$/, '').replace(/^#.*$/, '').trim())
    .filter((line) => line !== '')
    .flatMap((line) => line.split('&&').map((part) => part.trim()));
}

// The repository's own workflow (pnpm); the CLI's usage examples in the root README belong to
// @fintoken/cli and need a global install and provider credentials.
const commands = [...new Set([...shCommands(read('README.md')), ...shCommands(read('bench/README.md'))])].filter((c) => /^(pnpm |npm install -g pnpm@)/.test(c));
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1', FORCE_COLOR: '0' };

function run(command: string, timeoutMs = 60_000): { status: number | null; output: string } {
  const r = spawnSync('sh', ['-c', command], { cwd: root, env, encoding: 'utf8', timeout: timeoutMs });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

const pnpmPin = (JSON.parse(read('package.json')) as { packageManager: string }).packageManager.replace('pnpm@', '');

describe('the commands the READMEs promise', () => {
  it('finds them: the root README, its "Working on fintoken" block and the bench README', () => {
    for (const c of ['pnpm start', 'pnpm test', 'pnpm build', 'pnpm lint', 'pnpm typecheck', 'pnpm bench', 'pnpm changeset', 'pnpm bench --quick', 'pnpm --filter @fintoken/bench test']) {
      expect(commands).toContain(c);
    }
    // Nothing is left unchecked: every command is one of the kinds below.
    const known = /^(npm install -g pnpm@|pnpm install --frozen-lockfile$|pnpm (start|test|build|lint|typecheck|changeset)$|pnpm bench( |$)|pnpm --filter @fintoken\/bench test$)/;
    expect(commands.filter((c) => !known.test(c))).toEqual([]);
  });

  it('install lines: the pinned pnpm is the one in use, and CI runs the same install and test line', () => {
    for (const c of commands.filter((c) => c.startsWith('npm install -g pnpm@'))) expect(c).toBe(`npm install -g pnpm@${pnpmPin}`);
    expect(run('pnpm --version').output.trim()).toBe(pnpmPin);
    expect(read('.ci/run')).toContain('pnpm install --frozen-lockfile && pnpm test');
  });

  // Each bench command first builds what the bench imports (turbo: cache hits once built, as in
  // CI where this test runs after the builds; minutes on a cold or busy machine).
  it.each(commands.filter((c) => c.startsWith('pnpm bench')))('`%s` parses as written', (command) => {
    const { status, output } = run(`${command} --help`, 170_000);
    expect(output).not.toMatch(/Unexpected argument|Unknown option/);
    expect(output).toContain('Usage: pnpm bench');
    expect(status).toBe(0);
  }, 180_000);

  it('`pnpm bench --quick` runs end to end (one cheap scenario, written to a temporary folder)', () => {
    const out = mkdtempSync(join(tmpdir(), 'fintoken-bench-'));
    try {
      const { status, output } = run(`pnpm bench --quick --only 401-storm --out ${out}`, 170_000);
      expect(output).toContain('Wrote');
      expect(status).toBe(0);
      expect(readFileSync(join(out, 'RESULTS.quick.md'), 'utf8')).toContain('401');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 180_000);

  it.each(['pnpm build', 'pnpm lint', 'pnpm typecheck'].filter((c) => commands.includes(c)))('`%s` resolves its turbo task graph', (command) => {
    const { status, output } = run(`${command} --dry-run=json`);
    expect(status).toBe(0);
    expect(output).toContain('"tasks"');
  }, 70_000);

  it('`pnpm changeset` resolves', () => {
    expect(run('pnpm changeset --help').status).toBe(0);
  });

  it('`pnpm test` and `pnpm --filter @fintoken/bench test` resolve (not run: CI runs them, and this test is part of them)', () => {
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.test).toMatch(/turbo run test .*node scripts\/test-summary\.mjs/);
    expect(run('node -e "require.resolve(\'./scripts/test-summary.mjs\')"').status).toBe(0);
    expect(run('pnpm exec turbo run test --dry-run=json').status).toBe(0);
    const bench = JSON.parse(read('bench/package.json')) as { name: string; scripts: Record<string, string> };
    expect(bench.name).toBe('@fintoken/bench');
    expect(bench.scripts.test).toBe('vitest run');
  }, 70_000);

  it('`pnpm start` serves the demo at the URL it prints, and stops', async () => {
    const child = spawn('sh', ['-c', 'pnpm start'], { cwd: root, env: { ...env, PORT: '0' }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL within 170 s:\n${output.slice(-2_000)}`)), 170_000);
        const onData = (chunk: Buffer) => {
          output += chunk.toString();
          const match = /fintoken demo: (http:\/\/\S+)/.exec(output);
          if (match) {
            clearTimeout(timer);
            resolve(match[1] as string);
          }
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
        child.once('exit', (code) => reject(new Error(`pnpm start exited (${code}):\n${output.slice(-2_000)}`)));
      });
      const response = await fetch(url);
      expect(response.status).toBe(200);
    } finally {
      // The whole group: sh, pnpm and the demo's node process (we started all three).
      if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(undefined) : child.once('exit', r)));
    }
  }, 180_000);
});
