import { spawn, type ChildProcess } from 'node:child_process';
import { connect, createServer } from 'node:net';

/** A port nobody listens on right now (the OS picks it; loopback only). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** One redis-server (or sentinel) this test started: it is killed only through this handle, by its pid. */
export interface RedisProcess {
  readonly port: number;
  readonly pid: number | undefined;
  readonly alive: boolean;
  kill(): Promise<void>;
}

/**
 * Start `redis-server <args>` and wait until it is `ready` (default: `port` answers PING). Its output goes nowhere unless
 * FINTOKEN_REDIS_LOGS is set (then to this process's stderr, to debug a failing test).
 */
export async function spawnRedis(port: number, args: string[], timeoutMs = 10_000, ready: () => Promise<boolean> = () => answersPing(port)): Promise<RedisProcess> {
  const child: ChildProcess = spawn('redis-server', args, { stdio: ['ignore', 'ignore', process.env.FINTOKEN_REDIS_LOGS ? 'inherit' : 'ignore'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const alive = () => child.exitCode === null && child.signalCode === null;
  const handle: RedisProcess = {
    port,
    pid: child.pid,
    get alive() {
      return alive();
    },
    async kill() {
      if (alive()) child.kill('SIGKILL');
      await exited;
    },
  };
  const deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    if (!alive() || Date.now() > deadline) {
      await handle.kill();
      throw new Error(`redis-server on port ${port} did not start within ${timeoutMs} ms`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return handle;
}

/** Whether a PING on `port` gets `+PONG` (any other reply, e.g. `-LOADING`, is not ready). */
export function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => done(chunk.toString().startsWith('+PONG')));
  });
}

/** Poll `check` every 100 ms until it holds, at most `timeoutMs`. */
export async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
