// Child-process entry for the Web scenario: one Fetch-API handler on @hono/node-server (Hono's
// Node adapter, how Fetch-API apps are served on Node), so the load generator (autocannon, in the
// parent) does not share this event loop.
//   POST /bare   a bare Web handler (`Response.json`, as users write it) returning a token-shaped body
//   POST /raw    the same body as `new Response(JSON.stringify(...))` with a plain headers object:
//                @hono/node-server's fast path (no Web stream), the floor for a Fetch-API route
//   POST /token  @fintoken/web businessTokenRoute with a Layer client (sandbox)
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { businessTokenRoute } from '@fintoken/web';
import { announce, setUpTokenServer } from './tokenServerSetup.js';

const { businessId, layer, body } = await setUpTokenServer();

const routes: Record<string, (request: Request) => Response | Promise<Response>> = {
  '/bare': () => Response.json(body(), { headers: { 'cache-control': 'no-store' } }),
  '/raw': () => new Response(JSON.stringify(body()), { headers: { 'cache-control': 'no-store', 'content-type': 'application/json; charset=utf-8' } }),
  '/token': businessTokenRoute({ client: layer, authorize: () => businessId }),
};
const notFound = () => new Response('not found', { status: 404 });

announce(serve({ fetch: (request) => (routes[new URL(request.url).pathname] ?? notFound)(request), hostname: '127.0.0.1', port: 0 }) as Server);
