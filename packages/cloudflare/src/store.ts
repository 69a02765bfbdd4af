import { AbortError, ConfigurationError, FintokenError, NetworkError, TimeoutError, parseToken, tokenFields, type Lock, type Token, type TokenStore } from '@fintoken/core/cache';
import { MAX_LOCK_TTL_MS, MAX_WAIT_MS, OBJECT_ORIGIN, type Operation, type Requests, type Responses } from './protocol.js';
import type { DurableObjectNamespaceLike, DurableObjectStubLike } from './types.js';

export interface DurableObjectStoreOptions {
  /** The Durable Object namespace bound to `FintokenTokenObject` (`env.FINTOKEN`). */
  namespace: DurableObjectNamespaceLike;
  /**
   * Which object holds a key's token: by default one object per key (`prefix + key`), so each
   * token has its own single-flight and no object serves more than one token's traffic. Return
   * one constant name to keep every key in one object.
   */
  objectName?: (key: string) => string;
  /** Prepended to each key's object name (one namespace shared by several applications). Default `fintoken:`. */
  prefix?: string;
  /**
   * The longest one call to the object may take before the store reports it failed (and the
   * cache falls back: it keeps serving a valid token, or fetches on its own). Default 2,000 ms;
   * a `wait` gets its own timeout on top.
   */
  operationTimeoutMs?: number;
}

const KNOWN = new Set(['namespace', 'objectName', 'prefix', 'operationTimeoutMs']);

/**
 * A `TokenStore` for Cloudflare Workers on a Durable Object: every isolate of every Worker bound
 * to the namespace shares one token per key, refreshed by one of them while the others wait on
 * the object. Pass it as `store` to any fintoken client.
 */
export function createDurableObjectStore(options: DurableObjectStoreOptions): TokenStore {
  const o = parseOptions(options);
  // Object ids are plain values and reused; a stub is not: workerd binds it to the request that
  // created it ("Cannot perform I/O on behalf of a different request"), so each call gets its own.
  const ids = new Map<string, unknown>();
  const stubFor = (key: string): DurableObjectStubLike => {
    const name = o.objectName(key);
    let id = ids.get(name);
    if (id === undefined) {
      id = o.namespace.idFromName(name);
      if (ids.size >= 1_000) ids.clear();
      ids.set(name, id);
    }
    return o.namespace.get(id as never);
  };

  async function call<O extends Operation>(op: O, body: Requests[O], timeoutMs: number, signal?: AbortSignal): Promise<Responses[O]> {
    if (signal?.aborted) throw new AbortError('The store call was aborted by its AbortSignal');
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onAbort = () => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const res = await stubFor(body.key).fetch(`${OBJECT_ORIGIN}/${op}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: controller.signal,
      });
      const answer: unknown = await res.json().catch(() => undefined);
      if (!res.ok) {
        // The object's own error text names fields, never values; anything else is dropped.
        const reason = typeof (answer as { error?: unknown } | undefined)?.error === 'string' ? `: ${(answer as { error: string }).error.slice(0, 200)}` : '';
        throw new NetworkError(`Durable Object ${op} answered ${res.status}${reason}`);
      }
      if (typeof answer !== 'object' || answer === null) throw new NetworkError(`Durable Object ${op} answered something other than a JSON object`);
      return answer as Responses[O];
    } catch (error) {
      if (error instanceof FintokenError) throw error;
      if (timedOut) throw new TimeoutError(`Durable Object ${op} did not answer within ${timeoutMs} ms`);
      if (signal?.aborted) throw new AbortError('The store call was aborted by its AbortSignal');
      // The runtime's own error class only ("Error", "TypeError"): its message may quote the request.
      throw new NetworkError(`Durable Object ${op} failed (${error instanceof Error ? error.name : 'Error'})`);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  const tokenOf = (answer: { token?: unknown }): Token | undefined => {
    if (answer.token === undefined) return undefined;
    const token = parseToken(answer.token);
    if (token === undefined) throw new NetworkError('Durable Object answered a malformed token entry');
    return token;
  };

  const store: TokenStore = {
    async get(key) {
      return tokenOf(await call('get', { key }, o.operationTimeoutMs));
    },
    async set(key, token) {
      await call('set', { key, token: tokenFields(token) }, o.operationTimeoutMs);
    },
    async delete(key) {
      await call('delete', { key }, o.operationTimeoutMs);
    },
    async lock(key, ttlMs): Promise<Lock | undefined> {
      const ttl = Math.min(MAX_LOCK_TTL_MS, Math.max(1, Math.ceil(ttlMs)));
      const { lease } = await call('lock', { key, ttlMs: ttl }, o.operationTimeoutMs);
      if (typeof lease !== 'string') return undefined;
      return {
        release: async () => {
          await call('release', { key, lease }, o.operationTimeoutMs);
        },
      };
    },
    async waitFor(key, { previous, timeoutMs, signal }) {
      const wait = Math.min(MAX_WAIT_MS, Math.max(1, Math.ceil(timeoutMs)));
      const body: Requests['wait'] = { key, timeoutMs: wait, ...(previous === undefined ? {} : { previous }) };
      return tokenOf(await call('wait', body, wait + o.operationTimeoutMs, signal));
    },
  };
  return store;
}

interface ParsedOptions {
  namespace: DurableObjectNamespaceLike;
  objectName: (key: string) => string;
  operationTimeoutMs: number;
}

function parseOptions(input: DurableObjectStoreOptions): ParsedOptions {
  const fail = (problem: string): never => {
    throw new ConfigurationError(`createDurableObjectStore: invalid options: ${problem}`);
  };
  if (typeof input !== 'object' || input === null) fail('options: must be an object');
  const unknown = Object.keys(input).filter((k) => !KNOWN.has(k));
  if (unknown.length > 0) fail(`unknown option ${unknown.map((k) => `\`${k}\``).join(', ')}`);
  const ns = input.namespace as Partial<DurableObjectNamespaceLike> | undefined;
  if (typeof ns !== 'object' || ns === null || typeof ns.idFromName !== 'function' || typeof ns.get !== 'function') {
    fail('namespace: must be a Durable Object namespace binding (env.FINTOKEN, bound to FintokenTokenObject in wrangler.toml)');
  }
  if (input.objectName !== undefined && typeof input.objectName !== 'function') fail('objectName: must be a function of the key');
  if (input.prefix !== undefined && typeof input.prefix !== 'string') fail('prefix: must be a string');
  const timeout = input.operationTimeoutMs ?? 2_000;
  if (typeof timeout !== 'number' || !Number.isInteger(timeout) || timeout < 1 || timeout > 60_000) fail('operationTimeoutMs: must be a whole number of milliseconds from 1 to 60000');
  const prefix = input.prefix ?? 'fintoken:';
  const custom = input.objectName;
  const objectName = (key: string): string => {
    const name = custom === undefined ? key : custom(key);
    if (typeof name !== 'string' || name === '') throw new ConfigurationError('createDurableObjectStore: objectName must return a non-empty string');
    return prefix + name;
  };
  return { namespace: input.namespace, objectName, operationTimeoutMs: timeout };
}
