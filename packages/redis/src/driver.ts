// The driver contract only: a leaf that both drivers and the detection code (detect.ts) import.

/** A dedicated pub/sub connection (a `duplicate()` of the client). */
export interface Subscriber {
  /** Subscribe once; calling again while pending or done returns the same promise. */
  subscribe(channel: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * The handful of commands the store needs, the same over ioredis and node-redis. Methods
 * reject with the client's own errors; the store bounds and sanitises them.
 */
export interface Driver {
  get(key: string): Promise<string | null>;
  /** `SET key value PX ttlMs [NX]`; true when the value was written. */
  set(key: string, value: string, ttlMs: number, onlyIfAbsent: boolean): Promise<boolean>;
  del(key: string): Promise<void>;
  /**
   * `EVAL`: the script travels with every call, so a server that lost its script cache (restart,
   * failover, `SCRIPT FLUSH`) never costs a `NOSCRIPT` and a second round trip.
   */
  eval(script: string, keys: string[], args: string[]): Promise<unknown>;
  publish(channel: string, message: string): Promise<void>;
  /** Open a subscriber connection; `onError` receives its connection errors. */
  subscriber(onMessage: (channel: string, message: string) => void, onError: (error: unknown) => void): Subscriber;
  /** Close the main connection gracefully (only ever called on a connection the store opened). */
  close(): Promise<void>;
  /** Drop the main connection at once (when a graceful close does not finish in time). */
  destroy(): void;
}
