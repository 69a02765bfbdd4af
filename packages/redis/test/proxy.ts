import { createServer, connect, type Server, type Socket } from 'node:net';

export type ProxyMode = 'pass' | 'pause' | 'refuse';

export interface TcpProxy {
  /** `redis://127.0.0.1:<port>` of the proxy. */
  readonly url: string;
  /** Forward again; bytes held while paused are delivered now. */
  resume(): void;
  /** Redis "hangs": connections stay open, nothing is forwarded until `resume()`. */
  pause(): void;
  /** Redis is gone: every connection is reset and new ones are closed at once. */
  refuse(): void;
  close(): Promise<void>;
}

/**
 * A TCP proxy in front of the shared Redis, so a test can simulate an outage for its own
 * connections without disturbing anyone else's. With `delayMs`, every reply reaches the client
 * that much later (in order): a slow Redis, or one far away. With `onData`, every chunk either way
 * is shown to it first: what an eavesdropper on the network path sees.
 */
export async function startProxy(targetUrl: string, options: { delayMs?: number; onData?: (chunk: Buffer) => void } = {}): Promise<TcpProxy> {
  const delayMs = options.delayMs ?? 0;
  const target = new URL(targetUrl);
  let mode: ProxyMode = 'pass';
  const pairs = new Set<{ client: Socket; upstream: Socket; held: Array<[Socket, Buffer]> }>();

  const server: Server = createServer((client) => {
    if (mode === 'refuse') {
      client.destroy();
      return;
    }
    const upstream = connect(Number(target.port || 6379), target.hostname);
    const pair = { client, upstream, held: [] as Array<[Socket, Buffer]> };
    pairs.add(pair);
    const forward = (to: Socket) => (chunk: Buffer) => {
      options.onData?.(chunk);
      if (mode === 'pause') pair.held.push([to, chunk]);
      else if (!to.destroyed) to.write(chunk);
    };
    // Replies keep their order: each leaves no earlier than the one before it.
    let lastDue = 0;
    const late = (deliver: (chunk: Buffer) => void) => (chunk: Buffer) => {
      lastDue = Math.max(lastDue, Date.now() + delayMs);
      setTimeout(() => deliver(chunk), lastDue - Date.now());
    };
    client.on('data', forward(upstream));
    upstream.on('data', delayMs > 0 ? late(forward(client)) : forward(client));
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };

  return {
    url: `redis://127.0.0.1:${port}`,
    resume() {
      mode = 'pass';
      for (const pair of pairs) {
        for (const [to, chunk] of pair.held.splice(0)) if (!to.destroyed) to.write(chunk);
      }
    },
    pause() {
      mode = 'pause';
    },
    refuse() {
      mode = 'refuse';
      for (const pair of [...pairs]) {
        pair.client.resetAndDestroy();
        pair.upstream.destroy();
      }
    },
    async close() {
      for (const pair of [...pairs]) {
        pair.client.destroy();
        pair.upstream.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
