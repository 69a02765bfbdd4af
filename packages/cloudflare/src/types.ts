// The few Cloudflare Workers runtime shapes this package touches, written out so that it needs no
// `@cloudflare/workers-types` at build time. Each is the subset of the runtime's interface fintoken
// calls; the real `DurableObjectNamespace`, `DurableObjectState` and `DurableObjectStorage` fit.

/** A Durable Object stub: what `namespace.get(id)` returns. */
export interface DurableObjectStubLike {
  fetch(input: string, init?: RequestInit): Promise<Response>;
}

/** A Durable Object namespace binding (`env.FINTOKEN` with the `wrangler.toml` binding). */
export interface DurableObjectNamespaceLike {
  idFromName(name: string): unknown;
  get(id: never): DurableObjectStubLike;
}

/** The part of `ctx.storage` the object uses: key-value reads and writes, and one alarm. */
export interface DurableObjectStorageLike {
  get<T = unknown>(key: string): Promise<T | undefined>;
  put<T>(key: string, value: T): Promise<void>;
  delete(key: string): Promise<boolean>;
  list?<T = unknown>(options?: { prefix?: string }): Promise<Map<string, T>>;
  setAlarm?(scheduledTime: number): Promise<void>;
  getAlarm?(): Promise<number | null>;
}

/** The object's state (`ctx` in `constructor(ctx, env)`). */
export interface DurableObjectStateLike {
  storage: DurableObjectStorageLike;
}
