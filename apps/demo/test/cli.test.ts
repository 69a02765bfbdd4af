import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The CLI as `pnpm start` runs it, built from the current source into a scratch folder beside
// dist/ (same depth, so it finds public/ the same way) to leave dist/ alone.
const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = join(root, '.test-dist');
const cwd = mkdtempSync(join(tmpdir(), 'fintoken-demo-cli-'));
const children: ChildProcess[] = [];

beforeAll(() => {
  const tsup = createRequire(import.meta.url).resolve('tsup/dist/cli-default.js');
  const build = spawnSync(process.execPath, [tsup, '--out-dir', outDir, '--no-sourcemap'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  if (build.status !== 0) throw new Error(`tsup failed: ${build.stderr}`);
}, 90_000);

afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(outDir, { recursive: true, force: true });
  rmSync(cwd, { recursive: true, force: true });
});

function start(env: Record<string, string>) {
  const child = spawn(process.execPath, [join(outDir, 'main.js')], { cwd, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed; stderr: ${stderr}`)), 20_000);
    child.stderr.on('data', () => {
      const match = /fintoken demo: (http:\/\/\S+)/.exec(stderr);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`exited before printing a URL; stderr: ${stderr}`));
    });
  });
  return { child, url, exited, output: () => ({ stdout, stderr }) };
}

describe('the demo CLI', () => {
  it('reads .env, prints its URL, serves the page, and stops cleanly on SIGTERM', async () => {
    writeFileSync(join(cwd, '.env'), 'PORT=0\nDEMO_BUSINESSES_CAROL=asset=biz_fromDotEnv\n');
    const demo = start({});
    const url = await demo.url;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(url).not.toBe('http://127.0.0.1:3000');
    const session = (await (await fetch(`${url}/api/session`)).json()) as { users: { name: string }[] };
    expect(session.users.map((u) => u.name)).toContain('carol');
    expect((await fetch(url)).status).toBe(200);
    demo.child.kill('SIGTERM');
    expect(await demo.exited).toBe(0);
    // The log is JSON lines.
    const lines = demo.output().stdout.trim().split('\n');
    expect(JSON.parse(lines[0]!)).toMatchObject({ type: 'demo.started', url });
    rmSync(join(cwd, '.env'));
  }, 30_000);

  it('stops cleanly on SIGINT with a page still listening to events', async () => {
    const demo = start({ PORT: '0' });
    const url = await demo.url;
    const signIn = await fetch(`${url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"user":"alice"}' });
    const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0]!;
    const events = await fetch(`${url}/api/events`, { headers: { cookie } });
    expect(events.status).toBe(200);
    demo.child.kill('SIGINT');
    expect(await demo.exited).toBe(0);
  }, 30_000);

  it('refuses half a credential pair, naming the variable and not the value', async () => {
    const secret = 'half-a-pair-secret-0123456789';
    const demo = start({ PORT: '0', THREDFI_API_KEY: secret });
    await expect(demo.url).rejects.toThrow(/exited before printing a URL/);
    expect(await demo.exited).toBe(1);
    const { stdout, stderr } = demo.output();
    expect(stderr).toContain('THREDFI_PARTNER_ID is missing');
    expect(stdout + stderr).not.toContain(secret);
  }, 30_000);
});
