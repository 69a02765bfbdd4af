import { createToken, type Lock, type Token, type TokenStore } from '@fintoken/core/cache';

/** A channel name, or a name plus the ask timeout. Default: a channel named after the token source. */
export type ShareAcrossTabsOption = string | { channel?: string; timeoutMs?: number };

export interface TabStore extends TokenStore {
  close(): void;
}

interface Message {
  /** A tab without a token asks the others for theirs. */
  ask?: 1;
  token?: Token;
  /** Set when `token` answers an ask rather than announcing a freshly fetched token. */
  answer?: 1;
}

interface WebLocks {
  request(name: string, options: { ifAvailable: true }, callback: (lock: unknown) => unknown): Promise<unknown>;
}

/**
 * A `TokenStore` shared by the tabs of one origin, so core's `TokenCache` does the cross-tab
 * single-flight exactly as it does for a fleet on Redis (read the store, else take the lock and
 * fetch, else wait for the holder's token):
 * - `get`: the last token any tab fetched; a tab that has none yet asks the channel once and waits
 *   up to `timeoutMs` for an answer. From then on it hears every token any tab fetches.
 * - `set`: keep the token and announce it on the `BroadcastChannel`.
 * - `lock`: the Web Locks API (`ifAvailable`), so of several tabs starting cold one fetches and
 *   the others wait; the browser releases it if the holding tab dies, and so do we after `ttlMs`.
 * - `waitFor`: resolves on the first announced token other than `previous`.
 * Tokens only travel in memory between same-origin documents; nothing is written to storage.
 * Returns undefined where `BroadcastChannel` is missing (some edge runtimes): no sharing.
 */
export function createTabStore(option: ShareAcrossTabsOption, defaultName: string): TabStore | undefined {
  if (typeof BroadcastChannel !== 'function') return undefined;
  const { channel: name = defaultName, timeoutMs = 100 } = typeof option === 'object' ? option : { channel: option };
  const channel = new BroadcastChannel(name);
  // Node: don't keep the process alive for a channel nobody may ever write to.
  (channel as { unref?: () => void }).unref?.();
  const locks = (globalThis as { navigator?: { locks?: WebLocks } }).navigator?.locks;
  const waiters = new Set<() => void>();
  let current: Token | undefined;
  let asked: Promise<unknown> | undefined;

  const keep = (token: Token) => {
    current = token;
    for (const waiter of waiters) waiter();
  };

  channel.onmessage = ({ data }: MessageEvent<Message>) => {
    if (data.ask) {
      if (current !== undefined) channel.postMessage({ token: current, answer: 1 } satisfies Message);
    } else if (typeof data.token?.accessToken === 'string' && (!data.answer || current === undefined)) {
      // A freshly fetched token always replaces ours; an answer only fills a gap, so a late answer
      // from a tab that missed a refresh cannot roll us back to a token the API already rejected.
      keep(createToken(data.token));
    }
  };

  const waitFor = (_key: string, { previous, timeoutMs: wait }: { previous?: string; timeoutMs: number }) =>
    new Promise<Token | undefined>((resolve) => {
      const check = () => {
        if (current !== undefined && current.accessToken !== previous) done(current);
      };
      const done = (token: Token | undefined) => {
        clearTimeout(timer);
        waiters.delete(check);
        resolve(token);
      };
      const timer = setTimeout(done, wait);
      waiters.add(check);
      check();
    });

  return {
    async get(key) {
      if (current === undefined) {
        asked ??= (channel.postMessage({ ask: 1 } satisfies Message), waitFor(key, { timeoutMs }));
        await asked;
      }
      return current;
    },
    async set(_key, token) {
      keep(token);
      // Structured clone copies the own fields only, so the receiving tab re-wraps it.
      channel.postMessage({ token } satisfies Message);
    },
    async delete() {
      current = undefined;
    },
    lock:
      locks &&
      ((_key, ttlMs) =>
        new Promise<Lock | undefined>((resolve, reject) => {
          locks
            .request(name, { ifAvailable: true }, (held) =>
              held === null
                ? resolve(undefined)
                : // The lock is held until this promise settles: on release() or after ttlMs.
                  new Promise<void>((release) => {
                    const timer = setTimeout(release, ttlMs);
                    resolve({
                      release: async () => {
                        clearTimeout(timer);
                        release();
                      },
                    });
                  }),
            )
            .catch(reject);
        })),
    waitFor,
    close: () => channel.close(),
  };
}
