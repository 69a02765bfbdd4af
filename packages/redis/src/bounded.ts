import { FintokenError, NetworkError, TimeoutError } from '@fintoken/core';

/**
 * Bound one Redis operation in time. ioredis and node-redis queue commands while disconnected,
 * so without a bound a Redis outage would stall token delivery instead of degrading to the
 * provider. A late answer is dropped, or handed to `onLate` (e.g. to release a lock acquired
 * after we stopped waiting for it).
 */
export function bounded<T>(operation: string, promise: Promise<T>, timeoutMs: number, onLate?: (value: T) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      reject(new TimeoutError(`Redis ${operation} did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
    timer.unref?.();
    promise.then(
      (value) => {
        clearTimeout(timer);
        if (!timedOut) resolve(value);
        else onLate?.(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        if (!timedOut) reject(redisError(operation, error));
      },
    );
  });
}

/**
 * A Redis failure as a `NetworkError` carrying only the error's class, its Redis reply prefix
 * (`READONLY`, `NOAUTH`, ...) or its socket code. Never the original message or `cause`:
 * ioredis attaches the command's arguments (our stored value) to reply errors, and some Redis
 * replies quote arguments back ("unknown command ..., with args beginning with").
 */
export function redisError(operation: string, error: unknown): FintokenError {
  if (error instanceof FintokenError) return error;
  return new NetworkError(`Redis ${operation} failed (${errorDetail(error)})`);
}

/** `Error ECONNREFUSED`, `ReplyError WRONGPASS`, `Error SELF_SIGNED_CERT_IN_CHAIN`: class, code and reply prefix only. */
export function errorDetail(error: unknown): string {
  const name = error instanceof Error ? error.name : 'Error';
  const code = errorCode(error);
  const message = error instanceof Error ? error.message : '';
  const prefix = /^([A-Z]{2,20})\b/.exec(message)?.[1];
  return [name, code, prefix === code ? undefined : prefix].filter(Boolean).join(' ');
}

/** A socket, TLS or Redis error code (`ECONNREFUSED`, `CERT_HAS_EXPIRED`), when it looks like one. */
export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[A-Z_]{2,40}$/.test(code) ? code : undefined;
}
