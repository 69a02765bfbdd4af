import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export interface Listening {
  port: number;
  /** Stops accepting, destroys every socket (idle, busy or hung) and resolves once closed. */
  close(): Promise<void>;
}

/**
 * An HTTP server that remembers its sockets, so close() is prompt even when a fault left a
 * request hanging: server.close() alone would wait for those connections forever.
 */
export function listen(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  { port, host }: { port: number; host: string },
): Promise<Listening> {
  const server = createServer(handler);
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    }));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    // A deep backlog: benchmarks open thousands of connections at once.
    server.listen({ port, host, backlog: 4096 }, () => {
      server.off('error', reject);
      const address = server.address();
      const bound = typeof address === 'object' && address !== null ? address.port : port;
      resolve({ port: bound, close });
    });
  });
}
