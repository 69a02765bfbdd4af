import { AbortError } from './errors.js';

/** Reject when `signal` fires; the shared work behind `promise` goes on for the other waiters. */
export function raceSignal<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) {
    // The shared work goes on for others; its outcome must not become an unhandled rejection.
    promise.catch(() => undefined);
    return Promise.reject(new AbortError('The request was aborted by its AbortSignal'));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new AbortError('The request was aborted by its AbortSignal'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** A timer-based sleep that an AbortSignal can cut short. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new AbortError('The request was aborted by its AbortSignal'));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AbortError('The request was aborted by its AbortSignal'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
