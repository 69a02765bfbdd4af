/**
 * Concurrent calls for one key share one in-flight promise; the entry is gone once it settles,
 * so a failure is delivered to every waiter and never remembered.
 */
export interface SingleFlight<T> {
  run(key: string, fn: () => Promise<T>): Promise<T>;
  get(key: string): Promise<T> | undefined;
  /** Let the next `run` of `key` start anew; the call under way still settles for its own waiters. */
  forget(key: string): void;
  readonly size: number;
}

export function createSingleFlight<T>(): SingleFlight<T> {
  const inflight = new Map<string, Promise<T>>();
  return {
    run(key, fn) {
      const existing = inflight.get(key);
      if (existing !== undefined) return existing;
      let promise: Promise<T> | undefined;
      let settled = false;
      promise = (async () => {
        try {
          return await fn();
        } finally {
          settled = true;
          // Only its own entry: after a `forget`, a newer call may hold the key.
          if (inflight.get(key) === promise) inflight.delete(key);
        }
      })();
      // A `fn` that threw synchronously has settled already: nothing to share.
      if (!settled) inflight.set(key, promise);
      return promise;
    },
    get: (key) => inflight.get(key),
    forget: (key) => {
      inflight.delete(key);
    },
    get size() {
      return inflight.size;
    },
  };
}
