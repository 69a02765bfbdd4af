import { spawn } from 'node:child_process';

export interface FreshRun {
  /** From spawn() to the child's report line: Node's boot, the imports and the work. */
  wallMs: number;
  /** What the child reported (its JSON line). */
  report: Record<string, number>;
}

/**
 * Run `node args` as a new process, as a serverless platform starts one: a clean environment
 * (PATH and `env` only: no NODE_OPTIONS, no proxy variable, nothing of the bench's own), the
 * child's one JSON line on stdout, bounded in time. Rejects with the child's stderr on failure.
 */
export function runFreshNode(args: string[], options: { cwd: string; env: Record<string, string>; timeoutMs?: number }): Promise<FreshRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { cwd: options.cwd, env: { PATH: process.env.PATH ?? '', ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let wallMs: number | undefined;
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (wallMs === undefined && stdout.includes('\n')) wallMs = performance.now() - started;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0 || wallMs === undefined) {
        reject(new Error(`node ${args.at(-1)?.slice(0, 60)} failed (${signal ?? code}): ${stderr.trim().split('\n').slice(-3).join(' / ').slice(0, 300)}`));
        return;
      }
      resolve({ wallMs, report: JSON.parse(stdout.split('\n')[0] ?? '{}') as Record<string, number> });
    });
  });
}
