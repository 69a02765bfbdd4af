import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN, runFintoken } from './helpers.js';

describe('fintoken sandbox', () => {
  it('serves the four emulators until SIGTERM, with the seed\'s credentials', async () => {
    const child = spawn(process.execPath, [BIN, 'sandbox', '--port', '0', '--seed', 'cli-sandbox'], {
      env: { PATH: process.env.PATH ?? '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    try {
      let banner = '';
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => {
          banner += d.toString();
          const match = /listening on (http:\/\/\S+)/.exec(banner);
          if (match && banner.includes('Admin')) resolve(match[1] as string);
        });
        child.on('exit', (code) => reject(new Error(`sandbox exited early (${code})`)));
      });
      const field = (name: string, after: string): string => new RegExp(`${after}[\\s\\S]*?${name}\\s+(\\S+)`).exec(banner)![1] as string;
      // Use the banner's Layer1 credentials exactly as a user would.
      const result = await runFintoken(['token', 'layer1', '--json'], {
        env: {
          LAYER1_CLIENT_ID: field('client_id', 'Layer1'),
          LAYER1_CLIENT_SECRET: field('client_secret', 'Layer1'),
          LAYER1_TOKEN_URL: field('POST', 'Layer1\\n[\\s\\S]*?token'),
        },
      });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout).provider).toBe('layer1');
      expect((await fetch(`${url}/__admin/info`)).status).toBe(200);

      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      clearTimeout(killer);
      child.kill('SIGKILL');
    }
  });

  it('exits 2 for a port out of range', async () => {
    const result = await runFintoken(['sandbox', '--port', '70000']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--port.*must be an integer from 0 to 65535/);
  });
});

describe('--help', () => {
  it.each([
    [[], /Usage: fintoken \[options\] \[command\][\s\S]*Exit codes:/],
    [['--help'], /Commands:[\s\S]*token[\s\S]*decode[\s\S]*sandbox/],
    [['token', '--help'], /Usage: fintoken token \[options\] <provider>[\s\S]*LAYER_CLIENT_SECRET[\s\S]*LAYER1_TOKEN_URL/],
    [['decode', '--help'], /Usage: fintoken decode \[options\] <jwt>[\s\S]*NOT verified/],
    [['sandbox', '--help'], /Usage: fintoken sandbox \[options\][\s\S]*--port <n>[\s\S]*--seed <text>/],
    [['help', 'token'], /Usage: fintoken token/],
  ])('fintoken %j prints usage', async (args, pattern) => {
    const result = await runFintoken(args);
    // Bare `fintoken` prints the help on stderr and exits 2: it is a usage error.
    expect(result.code).toBe(args.length === 0 ? 2 : 0);
    expect(args.length === 0 ? result.stderr : result.stdout).toMatch(pattern);
  });
});
