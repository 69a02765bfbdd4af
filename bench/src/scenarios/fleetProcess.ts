// The parent side of the fleet's child processes (scenario 6): spawn an instance
// (fleetWorker.ts), read its messages in order, stop it.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { within } from '../util/time.js';
import type { BenchSandbox } from '../sandbox/types.js';
import { ms, num } from '../util/format.js';
import { median } from '../util/stats.js';
import type { ParentMessage, WorkerMessage } from './fleetWorker.js';
import type { Table } from './types.js';

const workerFile = fileURLToPath(new URL('./fleetWorker.ts', import.meta.url));
const benchDir = fileURLToPath(new URL('../..', import.meta.url));

export interface Worker {
  child: ChildProcess;
  next(): Promise<WorkerMessage>;
  send(message: ParentMessage): void;
  /** How many times this instance reported waiting on another's lock. */
  readonly waits: number;
}

export function spawnWorker(): Worker {
  const child = fork(workerFile, [], { cwd: benchDir, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const inbox: WorkerMessage[] = [];
  const waiting: ((m: WorkerMessage) => void)[] = [];
  let waits = 0;
  child.on('message', (m: WorkerMessage) => {
    if (m.type === 'waiting') {
      waits += 1;
      return;
    }
    const resolve = waiting.shift();
    if (resolve === undefined) inbox.push(m);
    else resolve(m);
  });
  child.on('exit', (code) => {
    for (const resolve of waiting.splice(0)) resolve({ type: 'failed', message: `fleet worker exited (code ${code})` });
  });
  return {
    child,
    next: () => {
      const queued = inbox.shift();
      return queued !== undefined ? Promise.resolve(queued) : new Promise((resolve) => waiting.push(resolve));
    },
    send: (message) => child.send(message),
    get waits() {
      return waits;
    },
  };
}

export async function expect<T extends WorkerMessage['type']>(worker: Worker, type: T, what: string): Promise<Extract<WorkerMessage, { type: T }>> {
  const message = await within(worker.next(), 60_000, what);
  if (message.type === 'failed') throw new Error(`${what}: ${message.message}`);
  if (message.type !== type) throw new Error(`${what}: expected ${type}, got ${message.type}`);
  return message as Extract<WorkerMessage, { type: T }>;
}

/** Ask each worker still running to quit its store and exit; SIGKILL one that does not within 10 s. */
export async function stopWorkers(workers: Worker[]): Promise<void> {
  for (const w of workers) if (w.child.connected) w.send({ type: 'exit' });
  await Promise.all(workers.map((w) => (w.child.exitCode !== null || w.child.signalCode !== null ? undefined : within(new Promise((r) => w.child.once('exit', r)), 10_000, 'fleet worker exit').catch(() => w.child.kill('SIGKILL')))));
}


/** One row's measurements over its rounds (scenario 6's and 13's cold tables). */
export interface ColdBurstRow {
  mode: string;
  upstream: number[];
  distinctTokens: number[];
  errors: number[];
  wallMs: number[];
}

/**
 * One cold burst of prepared instances: every one signalled at once; the token requests the
 * sandbox received, the distinct tokens the callers got, their errors and the wall time go into `row`.
 */
export async function coldBurst(workers: Worker[], sandbox: BenchSandbox, row: ColdBurstRow, label: string, log: (line: string) => void): Promise<void> {
  await sandbox.reset();
  const started = performance.now();
  for (const w of workers) w.send({ type: 'go' });
  const done = await Promise.all(workers.map((w) => expect(w, 'done', `${label} burst`)));
  const wallMs = performance.now() - started;
  const upstream = await sandbox.count('layer1.token');
  row.upstream.push(upstream);
  row.distinctTokens.push(new Set(done.flatMap((d) => d.tokens)).size);
  row.errors.push(done.reduce((a, d) => a + d.errors, 0));
  row.wallMs.push(wallMs);
  const sample = done.find((d) => d.errorSample !== undefined)?.errorSample;
  log(`  ${label} ${row.mode} round ${row.upstream.length}: ${upstream} upstream, ${row.distinctTokens.at(-1)} distinct tokens, ${row.errors.at(-1)} errors${sample ? ` (${sample})` : ''}, ${wallMs.toFixed(0)} ms`);
}

/** The cold-fleet table of scenarios 6, 13 and 14: one row per setup, medians over the rounds. */
export function coldBurstTable(rows: { label: string; row: Omit<ColdBurstRow, 'mode'> }[]): Table {
  return {
    headers: ['setup', 'token requests (median)', 'min–max', 'distinct tokens (median)', 'failed calls (median)', 'wall time (median)'],
    rows: rows.map(({ label, row: r }) => [
      label,
      num(median(r.upstream)),
      `${num(Math.min(...r.upstream))}–${num(Math.max(...r.upstream))}`,
      num(median(r.distinctTokens)),
      num(median(r.errors)),
      ms(median(r.wallMs)),
    ]),
  };
}
