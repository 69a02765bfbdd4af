/**
 * Timers for latency and slow-body faults, tracked so close() can cancel them all: a pending
 * fault must not keep the process (or a test run) alive after the sandbox is closed.
 */
export interface Scheduler {
  /** Resolves after `ms`; never resolves once the scheduler is closed. */
  delay(ms: number): Promise<void>;
  after(ms: number, run: () => void): void;
  close(): void;
}

export function createScheduler(): Scheduler {
  const timers = new Set<NodeJS.Timeout>();
  let closed = false;
  const after = (ms: number, run: () => void): void => {
    if (closed) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      run();
    }, ms);
    timers.add(timer);
  };
  return {
    after,
    delay: (ms) => new Promise((resolve) => after(ms, resolve)),
    close() {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
