import { spawn, type ChildProcess } from 'node:child_process';

export interface RunningServer {
  /** e.g. `http://127.0.0.1:41234` */
  url: string;
  /** Everything the child printed so far (stdout and stderr), for failure messages. */
  output(): string;
  close(): Promise<void>;
}

export interface StartOptions {
  cwd: string;
  env?: Record<string, string>;
  /** Finds the port in the child's output; default: a line `listening <port>`. */
  port?: RegExp;
  /** How long the child may take to listen. */
  timeoutMs?: number;
}

/**
 * Start a server process (Bun, Deno, Node, `next start`) and wait until it says which port it
 * listens on. It gets its own process group, so closing it also ends anything it started.
 */
export async function startServer(command: string, args: string[], options: StartOptions): Promise<RunningServer> {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const portPattern = options.port ?? /^listening (\d+)$/m;
  const close = () => stopProcess(child);
  try {
    const port = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${command} did not listen within ${options.timeoutMs ?? 30_000} ms:\n${output}`)), options.timeoutMs ?? 30_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const match = portPattern.exec(output);
        if (match?.[1] !== undefined) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`${command} exited (${code ?? signal}) before listening:\n${output}`));
      });
    });
    return { url: `http://127.0.0.1:${port}`, output: () => output, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** SIGTERM the child's process group, SIGKILL it if it is still there after 5 s. */
export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, name);
    } catch {
      // Already gone.
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/** Run a command to completion (bounded), resolving with its exit code and output. */
export function run(command: string, args: string[], options: { cwd: string; env?: Record<string, string>; timeoutMs: number }): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => {
      void stopProcess(child);
      reject(new Error(`${command} ${args.join(' ')} took longer than ${options.timeoutMs} ms:\n${output.slice(-4000)}`));
    }, options.timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}
