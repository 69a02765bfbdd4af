import type { Clock, Lock, Token, TokenStore } from '@fintoken/core/cache';
import { acceptTabToken } from './tabToken.js';

/** Options of `shareAcrossTabs`. */
export interface ShareAcrossTabsOptions {
  /**
   * Required: who the tabs share a token for, e.g. the signed-in user's id (or the session's).
   * Only tabs with the same partition (and token source) exchange tokens, so a tab still open for
   * a user who signed out never answers the next user's pages. Not a secret; use a value that
   * changes whenever the signed-in identity does.
   */
  partition: string;
  /** The business the page expects tokens for: a token another tab offers for any other is ignored. */
  businessId?: string;
  /** Name of the channel (and Web Lock), before the partition. Default: named after the token source (`fintoken:<tokenUrl>`). */
  channel?: string;
  /** How long a tab without a token waits for an open tab to answer. Default 100 ms. */
  timeoutMs?: number;
}

export interface TabStore extends TokenStore {
  close(): void;
}

interface Message {
  /** A tab without a token asks the others for theirs. */
  ask?: 1;
  token?: Token;
  /** Set when `token` answers an ask rather than announcing a freshly fetched token. */
  answer?: 1;
  /** A tab of the partition cleared the token (sign-out): every tab forgets it. */
  clear?: 1;
}

interface WebLocks {
  request(name: string, options: { ifAvailable: true }, callback: (lock: unknown) => unknown): Promise<unknown>;
}

/**
 * A `TokenStore` shared by the tabs of one origin and partition, so core's `TokenCache` does the
 * cross-tab single-flight exactly as it does for a fleet on Redis (read the store, else take the
 * lock and fetch, else wait for the holder's token):
 * - `get`: the last token any tab fetched; a tab that has none yet asks the channel once and waits
 *   up to `timeoutMs` for an answer. From then on it hears every token any tab fetches.
 * - `set`: keep the token and announce it on the `BroadcastChannel`.
 * - `delete`: forget it here and tell every tab of the partition to forget it (`onClear` there).
 * - `lock`: the Web Locks API (`ifAvailable`), so of several tabs starting cold one fetches and
 *   the others wait; the browser releases it if the holding tab dies, and so do we after `ttlMs`.
 * - `waitFor`: resolves on the first announced token other than `previous`.
 * What other tabs send is checked (`acceptTabToken`) and anything malformed is ignored.
 * Tokens only travel in memory between same-origin documents; nothing is written to storage.
 * Returns undefined where `BroadcastChannel` is missing (some edge runtimes): no sharing.
 */
export function createTabStore(
  { partition, businessId, channel: base, timeoutMs = 100 }: ShareAcrossTabsOptions,
  defaultName: string,
  now: Clock,
  onClear: () => void,
  /** Tokens not to keep or announce (fetched by a request under way when the token was cleared). */
  stale: (token: Token) => boolean,
): TabStore | undefined {
  if (typeof BroadcastChannel !== 'function') return undefined;
  // The partition is encoded, so '#' separates it from any channel name unambiguously.
  const name = `${base ?? defaultName}#${encodeURIComponent(partition)}`;
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

  channel.onmessage = ({ data }: MessageEvent<Message | null>) => {
    if (data?.ask) {
      if (current && now() < current.expiresAt) channel.postMessage({ token: current, answer: 1 } satisfies Message);
    } else if (data?.clear) {
      current = undefined;
      onClear();
    } else if (!data?.answer || current === undefined) {
      // A freshly fetched token always replaces ours; an answer only fills a gap, so a late answer
      // from a tab that missed a refresh cannot roll us back to a token the API already rejected.
      const token = acceptTabToken(data?.token, businessId, current, now());
      if (token) keep(token);
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
      if (stale(token)) return;
      keep(token);
      // Structured clone copies the own fields only, so the receiving tab re-wraps it.
      channel.postMessage({ token } satisfies Message);
    },
    async delete() {
      current = undefined;
      channel.postMessage({ clear: 1 } satisfies Message);
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
