import { AbortError, type Token } from '@fintoken/core';
import { bounded } from './bounded.js';
import type { Subscriber } from './driver.js';

export interface WaitOptions {
  previous?: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface WaitHubOptions {
  /** The pub/sub channel every store of this prefix publishes updated keys on. */
  channel: string;
  /** Read a key (bounded); rejects when Redis fails. */
  read: (key: string) => Promise<Token | undefined>;
  /** Open the shared subscriber connection (called at most once, on the first wait). */
  openSubscriber: (onMessage: (channel: string, message: string) => void) => Subscriber;
  operationTimeoutMs: number;
  /** Fallback polling: first delay and cap, doubling in between. */
  pollFirstMs?: number;
  pollMaxMs?: number;
}

export interface WaitHub {
  waitFor(key: string, options: WaitOptions): Promise<Token | undefined>;
  /** Resolve every pending wait with `undefined` and close the subscriber. */
  close(): Promise<void>;
  /** Pending waits (for tests: proves nothing is left behind). */
  readonly pending: number;
}

/**
 * Waiting for another instance's refresh: one shared subscriber connection wakes the waiters
 * of a key when a store publishes it; each waiter also polls with backoff, so a lost message
 * (subscriber reconnecting) costs latency, never the token.
 */
export function createWaitHub(o: WaitHubOptions): WaitHub {
  const listeners = new Map<string, Set<() => void>>();
  const cancels = new Set<() => void>();
  const pollFirstMs = o.pollFirstMs ?? 50;
  const pollMaxMs = o.pollMaxMs ?? 1_000;
  let subscriber: Subscriber | undefined;

  const onMessage = (channel: string, message: string) => {
    if (channel !== o.channel) return;
    const set = listeners.get(message);
    if (set !== undefined) for (const wake of [...set]) wake();
  };

  const subscribed = (): Promise<void> => {
    subscriber ??= o.openSubscriber(onMessage);
    return bounded('SUBSCRIBE', subscriber.subscribe(o.channel), o.operationTimeoutMs);
  };

  function waitFor(key: string, { previous, timeoutMs, signal }: WaitOptions): Promise<Token | undefined> {
    if (signal?.aborted) return Promise.reject(new AbortError('The wait was aborted by its AbortSignal'));
    return new Promise<Token | undefined>((resolve, reject) => {
      let done = false;
      let reading = false;
      let readAgain = false;
      let delay = pollFirstMs;
      let pollTimer: ReturnType<typeof setTimeout> | undefined;

      const finish = (settle: () => void) => {
        if (done) return;
        done = true;
        clearTimeout(pollTimer);
        clearTimeout(deadline);
        const set = listeners.get(key);
        set?.delete(check);
        if (set?.size === 0) listeners.delete(key);
        cancels.delete(cancel);
        signal?.removeEventListener('abort', onAbort);
        settle();
      };
      const cancel = () => finish(() => resolve(undefined));
      const onAbort = () => finish(() => reject(new AbortError('The wait was aborted by its AbortSignal')));

      // One read at a time; a wake-up during a read is remembered and served after it.
      function check(): void {
        if (done) return;
        if (reading) {
          readAgain = true;
          return;
        }
        reading = true;
        o.read(key).then(
          (token) => {
            reading = false;
            if (token !== undefined && token.accessToken !== previous) return finish(() => resolve(token));
            if (readAgain) {
              readAgain = false;
              check();
            }
          },
          // Redis is failing: give up now so the caller can degrade instead of polling a dead server.
          (error: unknown) => finish(() => reject(error)),
        );
      }
      const poll = () => {
        pollTimer = setTimeout(() => {
          check();
          delay = Math.min(delay * 2, pollMaxMs);
          poll();
        }, delay);
      };

      const deadline = setTimeout(cancel, Math.max(0, timeoutMs));
      cancels.add(cancel);
      signal?.addEventListener('abort', onAbort, { once: true });
      let set = listeners.get(key);
      if (set === undefined) listeners.set(key, (set = new Set()));
      set.add(check);
      // Read once subscribed (or failing to be): a token stored before the subscription took
      // effect is found by this read, one stored after it by the message.
      subscribed().then(check, check);
      poll();
    });
  }

  return {
    waitFor,
    async close() {
      for (const cancel of [...cancels]) cancel();
      const s = subscriber;
      subscriber = undefined;
      await s?.close();
    },
    get pending() {
      return cancels.size;
    },
  };
}
