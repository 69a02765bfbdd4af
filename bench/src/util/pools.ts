import http from 'node:http';

// Node's fetch and undici share the global dispatcher through these symbols (undici's own API:
// undici 7 writes both and reads the first, Node's bundled undici reads the first).
const globalDispatcher = Symbol.for('undici.globalDispatcher.1');
const globalDispatcherV2 = Symbol.for('undici.globalDispatcher.2');

interface ClosableDispatcher {
  close(): Promise<void>;
  constructor: new () => ClosableDispatcher;
}

/**
 * Start the next run with no pooled connections, as a fresh process would. After a burst of
 * 10,000 requests the global pools hold thousands of idle sockets that the server will close
 * after its keep-alive timeout; a library reusing one at that moment fails with "other side
 * closed", and that failure would belong to the previous library's burst, not to it.
 */
export async function resetConnectionPools(): Promise<void> {
  const store = globalThis as unknown as Record<symbol, ClosableDispatcher | undefined>;
  const current = store[globalDispatcher];
  if (current !== undefined) {
    // A new agent of the same undici build, so every fetch keeps working as before.
    const fresh = new current.constructor();
    store[globalDispatcher] = fresh;
    if (store[globalDispatcherV2] !== undefined) store[globalDispatcherV2] = fresh;
    await current.close().catch(() => undefined);
  }
  http.globalAgent.destroy();
}
