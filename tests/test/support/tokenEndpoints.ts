import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { businessTokenHandler, type BusinessTokenHandlerOptions } from '@fintoken/express';
import { businessTokenRoute, type BusinessTokenRouteOptions } from '@fintoken/web';
import { serve } from '@hono/node-server';
import express from 'express';

// The browser-token endpoint as an application mounts it, on both public adapters: Express 5
// (`@fintoken/express`) and a Fetch-API handler on @hono/node-server (`@fintoken/web`), on
// 127.0.0.1:0. Routes are written once against a neutral view of the request.

/** What a route's callbacks read of a request, whichever framework received it. */
export interface RequestView {
  header(name: string): string | undefined;
  /** One query parameter (what an integrator might pass through to the token request). */
  query(name: string): string | undefined;
  /** Every query parameter. */
  queryAll(): Record<string, string>;
}

type Shared = Omit<BusinessTokenRouteOptions, 'authorize' | 'request' | 'rateLimit'>;
export interface RouteOptions extends Shared {
  authorize: (req: RequestView) => ReturnType<BusinessTokenRouteOptions['authorize']>;
  request?: (req: RequestView, businessId: string) => ReturnType<NonNullable<BusinessTokenRouteOptions['request']>>;
  rateLimit?: { windowMs: number; max: number; maxKeys?: number };
}

/** One request a hosted app answered: what the browser sent, and the status it got. */
export interface Received {
  path: string;
  method: string;
  headers: Record<string, string>;
  status: number;
}

export interface HostSettings {
  /** Express's `trust proxy` (no-op on the Fetch adapter). */
  trustProxy?: boolean;
  /** Every answered request is pushed here. */
  log?: Received[];
}

export interface HostedApp {
  url: string;
  close(): Promise<void>;
}

export interface EndpointHost {
  name: string;
  /** Serve token routes (path -> options) and static HTML pages (path -> html). */
  serve(routes: Record<string, RouteOptions>, pages?: Record<string, string>, settings?: HostSettings): Promise<HostedApp>;
}

function fromUrl(url: URL, header: (name: string) => string | undefined): RequestView {
  return { header, query: (name) => url.searchParams.get(name) ?? undefined, queryAll: () => Object.fromEntries(url.searchParams) };
}

function adapt<R>(options: RouteOptions, view: (req: R) => RequestView) {
  const { authorize, request, ...rest } = options;
  return {
    ...rest,
    authorize: (req: R) => authorize(view(req)),
    ...(request === undefined ? {} : { request: (req: R, businessId: string) => request(view(req), businessId) }),
  };
}

export const ENDPOINT_HOSTS: EndpointHost[] = [
  {
    name: '@fintoken/express on Express 5',
    async serve(routes, pages = {}, settings = {}) {
      const app = express();
      if (settings.trustProxy) app.set('trust proxy', true);
      app.use((req, res, next) => {
        res.on('finish', () =>
          settings.log?.push({ path: req.path, method: req.method, headers: req.headers as Record<string, string>, status: res.statusCode }),
        );
        next();
      });
      for (const [path, body] of Object.entries(pages)) app.get(path, (_req, res) => void res.type('html').send(body));
      const view = (req: express.Request) => fromUrl(new URL(req.originalUrl, 'http://app.invalid'), (name) => req.get(name));
      for (const [path, options] of Object.entries(routes)) app.all(path, businessTokenHandler(adapt(options, view) as BusinessTokenHandlerOptions));
      const server: Server = await new Promise((resolve) => {
        const s = app.listen(0, '127.0.0.1', () => resolve(s));
      });
      return hosted(server);
    },
  },
  {
    name: '@fintoken/web on @hono/node-server',
    async serve(routes, pages = {}, settings = {}) {
      const view = (request: Request) => fromUrl(new URL(request.url), (name) => request.headers.get(name) ?? undefined);
      const handlers = new Map(Object.entries(routes).map(([path, options]) => [path, businessTokenRoute(adapt(options, view) as BusinessTokenRouteOptions)]));
      const answer = (request: Request, pathname: string): Response | Promise<Response> => {
        const page = pages[pathname];
        if (page !== undefined) return new Response(page, { headers: { 'content-type': 'text/html; charset=utf-8' } });
        return handlers.get(pathname)?.(request) ?? new Response('not found', { status: 404 });
      };
      const fetch = async (request: Request) => {
        const { pathname } = new URL(request.url);
        const response = await answer(request, pathname);
        settings.log?.push({ path: pathname, method: request.method, headers: Object.fromEntries(request.headers), status: response.status });
        return response;
      };
      const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
        const s = serve({ fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
      });
      return hosted(server as Server);
    },
  },
];

function hosted(server: Server): HostedApp {
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
