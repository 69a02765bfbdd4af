import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Sandbox } from '@fintoken/sandbox';

/** The built binary, run exactly as `fintoken` would be: `bin/fintoken.js` importing `dist/cli.js`. */
export const BIN = fileURLToPath(new URL('../bin/fintoken.js', import.meta.url));

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Run bin/fintoken.js itself, through its shebang, as a shell runs `fintoken` (default: `node bin/fintoken.js`). */
  shebang?: boolean;
  env?: Record<string, string>;
  input?: string;
  timeoutMs?: number;
}

/**
 * Run the CLI as a child process with only the environment given (plus PATH): nothing of the
 * test runner's environment leaks in. Killed after `timeoutMs`, so a hang fails the test.
 */
export function runFintoken(args: string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(options.shebang ? BIN : process.execPath, options.shebang ? args : [BIN, ...args], {
      env: { PATH: process.env.PATH ?? '', TZ: 'UTC', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => void (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => void (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 15_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    // A CLI that exits before reading its stdin (a refused argument, a missing --env-file) makes
    // this write fail with EPIPE: expected, and not the test's result (the exit code and output are).
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}

export const providerIds = ['layer', 'thredfi', 'asset', 'layer1'] as const;
export type ProviderId = (typeof providerIds)[number];

/** The environment variables (as the CLI README names them) that point the CLI at `sandbox`. */
export function sandboxEnv(sandbox: Sandbox, provider: ProviderId): Record<string, string> {
  const { credentials: c, urls: u } = sandbox;
  switch (provider) {
    case 'layer':
      return { LAYER_CLIENT_ID: c.layer.clientId, LAYER_CLIENT_SECRET: c.layer.clientSecret, LAYER_AUTH_URL: u.layer.authUrl, LAYER_API_URL: u.layer.apiUrl };
    case 'thredfi':
      return { THREDFI_PARTNER_ID: c.thredfi.partnerId, THREDFI_API_KEY: c.thredfi.apiKey, THREDFI_BASE_URL: u.thredfi.baseUrl };
    case 'asset':
      return { ASSET_CLIENT_ID: c.asset.clientId, ASSET_CLIENT_SECRET: c.asset.clientSecret, ASSET_BASE_URL: u.asset.baseUrl };
    case 'layer1':
      return { LAYER1_CLIENT_ID: c.layer1.clientId, LAYER1_CLIENT_SECRET: c.layer1.clientSecret, LAYER1_TOKEN_URL: u.layer1.tokenUrl };
  }
}

/** The secret of each provider, by the variable that holds it. */
export const secretVar: Record<ProviderId, string> = {
  layer: 'LAYER_CLIENT_SECRET',
  thredfi: 'THREDFI_API_KEY',
  asset: 'ASSET_CLIENT_SECRET',
  layer1: 'LAYER1_CLIENT_SECRET',
};

/** A business the sandbox lets this provider's client act for. */
export function businessOf(sandbox: Sandbox, provider: Exclude<ProviderId, 'layer1'>): string {
  const b = sandbox.businesses;
  return (provider === 'layer' ? b.layer.active : provider === 'thredfi' ? b.thredfi.owned : b.asset.allowed)[0] as string;
}
