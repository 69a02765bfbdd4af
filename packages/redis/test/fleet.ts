import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, statSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

const fixture = fileURLToPath(new URL('./fixtures/fleet-instance.mjs', import.meta.url));
const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const src = fileURLToPath(new URL('../src/', import.meta.url));

export interface InstanceConfig {
  /** One Redis; or give `cluster` or `sentinel` instead (the URL is then ignored). */
  redisUrl: string;
  cluster?: Array<{ host: string; port: number }>;
  sentinel?: { sentinels: Array<{ host: string; port: number }>; name: string };
  /** The client library the instance connects with. Default ioredis. */
  library?: 'ioredis' | 'node-redis';
  encryptionKey?: string;
  prefix: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  operationTimeoutMs?: number;
  lockTtlMs?: number;
  waitTimeoutMs?: number;
  /** The store's lease (crash recovery time). */
  lockLeaseMs?: number;
  /** Per-attempt timeout of the token request (retries are off). */
  timeoutMs?: number;
  refreshAhead?: false;
}

export interface RoundResult {
  type: 'result';
  round: number;
  ok: number;
  errors: string[];
  fingerprints: string[];
  expiresAt: number;
  durationMs: number;
  events: Array<{ type: string; reason?: string; message?: string }>;
}

type Message = { type: string } & Record<string, unknown>;

/** One forked process of the fleet, driven over IPC. */
export class Instance {
  readonly child: ChildProcess;
  readonly #log: Message[] = [];
  #wake: Array<() => void> = [];

  constructor(config: InstanceConfig) {
    this.child = fork(fixture, [], {
      env: { ...process.env, FLEET_CONFIG: JSON.stringify(config) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const wake = () => {
      for (const w of this.#wake.splice(0)) w();
    };
    this.child.on('message', (m) => {
      this.#log.push(m as Message);
      wake();
    });
    this.child.on('exit', wake);
  }

  get exited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  /** The first message of `type` not yet taken, within `timeoutMs`. */
  async next<T extends Message = Message>(type: string, timeoutMs: number): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.#log.findIndex((m) => m.type === type);
      if (i !== -1) return this.#log.splice(i, 1)[0] as T;
      if (this.exited) throw new Error(`fleet instance ${this.child.pid} exited before sending '${type}'`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`fleet instance ${this.child.pid} sent no '${type}' within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#wake.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Whether a message of `type` has arrived (without taking it). */
  has(type: string): boolean {
    return this.#log.some((m) => m.type === type);
  }

  send(message: Message): void {
    this.child.send(message);
  }

  /** Ask it to close its connections and exit; SIGKILL it (only it: we forked it) if it does not. */
  async stop(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    try {
      this.send({ type: 'exit' });
    } catch {
      // IPC already closed.
    }
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }

  /** Resolves once the process has exited by itself (fails after `timeoutMs`). */
  async exit(timeoutMs: number): Promise<void> {
    if (this.exited) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`fleet instance ${this.child.pid} did not exit within ${timeoutMs} ms`)), timeoutMs);
      this.child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  async kill(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGKILL');
    await exited;
  }
}

export async function startFleet(size: number, config: InstanceConfig): Promise<Instance[]> {
  const fleet = Array.from({ length: size }, () => new Instance(config));
  try {
    await Promise.all(fleet.map((i) => i.next('ready', 30_000)));
  } catch (error) {
    await Promise.all(fleet.map((i) => i.kill()));
    throw error;
  }
  return fleet;
}

/**
 * Send one round of `concurrency` getToken() calls to every instance and collect the results.
 * With `exitAfter`, each instance quits its store and exits right after answering.
 */
export async function round(fleet: Instance[], n: number, concurrency: number, timeoutMs = 30_000, exitAfter = false): Promise<RoundResult[]> {
  for (const instance of fleet) instance.send({ type: 'round', round: n, concurrency, exitAfter });
  return Promise.all(fleet.map((i) => i.next('result', timeoutMs) as Promise<unknown> as Promise<RoundResult>));
}

/** The child processes import the built package: fail clearly when it is missing or stale. */
export function assertBuilt(): void {
  const hint = 'run `pnpm --filter @fintoken/redis build` before the fleet tests';
  if (!existsSync(dist)) throw new Error(`dist/index.js is missing: ${hint}`);
  const built = statSync(dist).mtimeMs;
  const stale = readdirSync(src).filter((f) => statSync(`${src}${f}`).mtimeMs > built);
  if (stale.length > 0) throw new Error(`dist/ is older than src/${stale[0]}: ${hint}`);
}

/** Every instance answered, every caller got a token. */
export function expectAllDelivered(results: RoundResult[], instances: number, concurrency: number): void {
  expect(results).toHaveLength(instances);
  for (const r of results) {
    expect(r.errors).toEqual([]);
    expect(r.ok).toBe(concurrency);
  }
}
