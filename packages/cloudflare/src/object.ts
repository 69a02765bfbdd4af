import { MAX_BODY_BYTES, OBJECT_ORIGIN, isOperation, parseRequest, type Operation, type Requests, type Responses, type TokenEntry } from './protocol.js';
import type { DurableObjectStateLike, DurableObjectStorageLike } from './types.js';

const TOKEN = 'token:';
const LOCK = 'lock:';

interface LockEntry {
  lease: string;
  /** Epoch ms after which the lock is free again (its holder died or hung). */
  until: number;
}

interface Waiter {
  previous: string | undefined;
  resolve: (token: TokenEntry | undefined) => void;
}

/**
 * The Durable Object behind `createDurableObjectStore`: one instance per token key (by default),
 * single-threaded and strongly consistent, so it is the fleet's single-flight. It keeps
 *
 * - the token, in its storage (it survives eviction and restarts) and in memory (reads while the
 *   token is valid are answered without touching storage);
 * - the refresh lock: one lease at a time, persisted too, freed by the holder's write, its
 *   release, or its TTL (a holder that died mid-fetch);
 * - every waiter's promise: a `wait` is held open until the holder writes a token other than the
 *   one the waiter already has, or its timeout. One write answers them all.
 *
 * Export it from the Worker that hosts it (`export { FintokenTokenObject } from
 * '@fintoken/cloudflare'`) and bind it in `wrangler.toml`. It is reachable only through the
 * binding: nothing in it answers a request from the internet.
 */
export class FintokenTokenObject {
  readonly #storage: DurableObjectStorageLike;
  /** Tokens read or written since this instance started; `null`: known to be absent. */
  readonly #tokens = new Map<string, TokenEntry | null>();
  readonly #locks = new Map<string, LockEntry | null>();
  readonly #waiters = new Map<string, Set<Waiter>>();
  /** The alarm this instance set, so a write does not re-set an earlier one. */
  #alarmAt: number | undefined;

  constructor(state: DurableObjectStateLike, _env?: unknown) {
    this.#storage = state.storage;
  }

  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const op = url.pathname.slice(1);
    if (url.origin !== OBJECT_ORIGIN || !isOperation(op)) return failure(404, 'not a fintoken operation');
    if (request.method !== 'POST') return failure(405, 'operations are POST requests');
    const text = await request.text();
    if (text.length > MAX_BODY_BYTES) return failure(413, `the body is over ${MAX_BODY_BYTES} bytes`);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return failure(400, 'the body is not JSON');
    }
    const parsed = parseRequest(op, body);
    if (typeof parsed === 'string') return failure(400, parsed);
    return Response.json(await this.#run(op, parsed));
  }

  /** Deletes what has expired and sets the next alarm (Workers runs it at that time). */
  async alarm(): Promise<void> {
    this.#alarmAt = undefined;
    const now = Date.now();
    let next: number | undefined;
    const entries = this.#storage.list === undefined ? new Map<string, unknown>() : await this.#storage.list<unknown>();
    for (const [name, value] of entries) {
      const until = name.startsWith(TOKEN) ? (value as TokenEntry | undefined)?.expiresAt : name.startsWith(LOCK) ? (value as LockEntry | undefined)?.until : undefined;
      if (typeof until !== 'number') continue;
      if (until <= now) {
        await this.#storage.delete(name);
        if (name.startsWith(TOKEN)) this.#tokens.set(name.slice(TOKEN.length), null);
        else this.#locks.set(name.slice(LOCK.length), null);
      } else {
        next = Math.min(next ?? until, until);
      }
    }
    // Set directly: while this handler runs, the alarm that started it may still read as set.
    if (next !== undefined && this.#storage.setAlarm !== undefined) {
      await this.#storage.setAlarm(next);
      this.#alarmAt = next;
    }
  }

  async #run<O extends Operation>(op: O, request: Requests[O]): Promise<Responses[O]> {
    switch (op) {
      case 'get': {
        const token = await this.#token((request as Requests['get']).key);
        return (token === undefined ? {} : { token }) as Responses[O];
      }
      case 'set': {
        const { key, token } = request as Requests['set'];
        await this.#storage.put(TOKEN + key, token);
        this.#tokens.set(key, token);
        // A write ends the load it came from: the lock is free at once, whether or not the holder's
        // release ever arrives (a Worker's request may end before it does).
        await this.#dropLock(key);
        await this.#schedule(token.expiresAt);
        this.#wake(key, token);
        return {} as Responses[O];
      }
      case 'delete': {
        const { key } = request as Requests['delete'];
        await this.#storage.delete(TOKEN + key);
        this.#tokens.set(key, null);
        return {} as Responses[O];
      }
      case 'lock': {
        const { key, ttlMs } = request as Requests['lock'];
        const held = await this.#lock(key);
        if (held !== undefined) return {} as Responses[O];
        const entry: LockEntry = { lease: crypto.randomUUID(), until: Date.now() + ttlMs };
        await this.#storage.put(LOCK + key, entry);
        this.#locks.set(key, entry);
        await this.#schedule(entry.until);
        return { lease: entry.lease } as Responses[O];
      }
      case 'release': {
        const { key, lease } = request as Requests['release'];
        const held = await this.#lock(key);
        // Compare-and-delete: a release that arrives after the lock lapsed and was retaken frees nothing.
        if (held?.lease !== lease) return { released: false } as Responses[O];
        await this.#dropLock(key);
        return { released: true } as Responses[O];
      }
      case 'wait': {
        const { key, previous, timeoutMs } = request as Requests['wait'];
        const current = await this.#token(key);
        if (current !== undefined && current.accessToken !== previous) return { token: current } as Responses[O];
        const token = await this.#waitForWrite(key, previous, timeoutMs);
        return (token === undefined ? {} : { token }) as Responses[O];
      }
      default:
        throw new Error('unreachable');
    }
  }

  /** The valid token for `key`: memory first, storage once after a restart. */
  async #token(key: string): Promise<TokenEntry | undefined> {
    let entry = this.#tokens.get(key);
    if (entry === undefined) {
      entry = (await this.#storage.get<TokenEntry>(TOKEN + key)) ?? null;
      this.#tokens.set(key, entry);
    }
    if (entry === null) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.#tokens.set(key, null);
      await this.#storage.delete(TOKEN + key);
      return undefined;
    }
    return entry;
  }

  /** The live lock on `key`, if any (a lapsed one counts as free). */
  async #lock(key: string): Promise<LockEntry | undefined> {
    let entry = this.#locks.get(key);
    if (entry === undefined) {
      entry = (await this.#storage.get<LockEntry>(LOCK + key)) ?? null;
      this.#locks.set(key, entry);
    }
    return entry !== null && entry.until > Date.now() ? entry : undefined;
  }

  async #dropLock(key: string): Promise<void> {
    if (this.#locks.get(key) === null) return;
    this.#locks.set(key, null);
    await this.#storage.delete(LOCK + key);
  }

  #waitForWrite(key: string, previous: string | undefined, timeoutMs: number): Promise<TokenEntry | undefined> {
    return new Promise((resolve) => {
      let waiters = this.#waiters.get(key);
      if (waiters === undefined) this.#waiters.set(key, (waiters = new Set()));
      const set = waiters;
      const waiter: Waiter = {
        previous,
        resolve: (token) => {
          clearTimeout(timer);
          set.delete(waiter);
          if (set.size === 0 && this.#waiters.get(key) === set) this.#waiters.delete(key);
          resolve(token);
        },
      };
      const timer = setTimeout(() => waiter.resolve(undefined), timeoutMs);
      set.add(waiter);
    });
  }

  #wake(key: string, token: TokenEntry): void {
    const waiters = this.#waiters.get(key);
    if (waiters === undefined) return;
    for (const w of [...waiters]) if (w.previous !== token.accessToken) w.resolve(token);
  }

  /** One alarm at the earliest expiry: it deletes what has expired, so storage never fills up. */
  async #schedule(at: number): Promise<void> {
    const storage = this.#storage;
    if (storage.setAlarm === undefined) return;
    if (this.#alarmAt === undefined && storage.getAlarm !== undefined) this.#alarmAt = (await storage.getAlarm()) ?? undefined;
    if (this.#alarmAt !== undefined && this.#alarmAt <= at) return;
    this.#alarmAt = at;
    await storage.setAlarm(at);
  }
}

function failure(status: number, message: string): Response {
  return Response.json({ error: message }, { status });
}
