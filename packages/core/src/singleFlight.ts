/**
 * Concurrent calls for one key share one in-flight promise; the entry is gone once it settles,
 * so a failure is delivered to every waiter and never remembered.
 */
export interface SingleFlight<T> {
  run(key: string, fn: () => Promise<T>): Promise<T>;
  get(key: string): Promise<T> | undefined;
  readonly size: number;
}

export function createSingleFlight<T>(): SingleFlight<T> {
  const inflight = new Map<string, Promise<T>>();
  return {
    run(key, fn) {
      const existing = inflight.get(key);
      if (existing !== undefined) return existing;
      const promise = (async () => {
        try {
          return await fn();
        } finally {
          inflight.delete(key);
        }
      })();
      inflight.set(key, promise);
      return promise;
    },
    get: (key) => inflight.get(key),
    get size() {
      return inflight.size;
    },
  };
}
