import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';

/** A running server on 127.0.0.1:0. */
export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/** Host a Fetch-API handler on a real Node HTTP server, as Hono's Node adapter does in production. */
export async function serveFetch(fetch: (request: Request) => Response | Promise<Response>): Promise<RunningServer> {
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        if ('closeAllConnections' in server) server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** Route by path, the way any Fetch-API framework would; unknown paths get 404. */
export function byPath(routes: Record<string, (request: Request) => Promise<Response>>): (request: Request) => Promise<Response> {
  return async (request) => {
    const route = routes[new URL(request.url).pathname];
    return route === undefined ? new Response('not found', { status: 404 }) : route(request);
  };
}
