import type { IncomingMessage } from 'node:http';
import type { EndpointName } from './endpoints.js';
import type { Reply } from './http.js';

export type Method = 'GET' | 'POST' | 'DELETE';

export interface RequestContext {
  req: IncomingMessage;
  /** Decoded `:name` path segments. */
  params: Record<string, string>;
  /** The query string without '?' ("" when absent). */
  query: string;
  /** The request body, read once; throws PayloadTooLargeError past the limit. */
  body(): Promise<Buffer>;
}

/** A bare status turned into a provider's documented error body. */
export type ErrorShape = (status: number, description: string) => Reply;

export interface Route {
  method: Method;
  /** Relative to the mount prefix; `:name` matches one segment; a trailing slash is significant. */
  path: string;
  /** Counted and faultable when set. */
  endpoint?: EndpointName;
  /** RFC 6749 §5.1: token responses carry Cache-Control: no-store. */
  noStore?: boolean;
  /** Called from browsers on another origin: answer preflights and allow the page to read replies. */
  cors?: boolean;
  /** Error shape for 405s and injected statuses when it differs from the mount's. */
  error?: ErrorShape;
  handle(ctx: RequestContext): Reply | Promise<Reply>;
}

/** A URL prefix served by one provider surface, with the error body it uses for bare statuses. */
export interface Mount {
  prefix: string;
  error: ErrorShape;
  routes: Route[];
}

export interface Match {
  mount: Mount;
  /** Routes of that path, one per method; empty when no route has the path. */
  routes: Route[];
  params: Record<string, string>;
}

interface CompiledRoute {
  route: Route;
  segments: string[];
}

function matchSegments(pattern: string[], actual: string[]): Record<string, string> | undefined {
  if (pattern.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const expected = pattern[i] as string;
    const value = actual[i] as string;
    if (expected.startsWith(':')) {
      if (value === '') return undefined;
      try {
        params[expected.slice(1)] = decodeURIComponent(value);
      } catch {
        return undefined;
      }
    } else if (expected !== value) {
      return undefined;
    }
  }
  return params;
}

export interface Router {
  /** undefined when no mount owns the path. */
  match(path: string): Match | undefined;
}

export function createRouter(mounts: Mount[]): Router {
  // Longest prefix first, so /layer/oauth2 wins over /layer.
  const compiled = [...mounts]
    .sort((a, b) => b.prefix.length - a.prefix.length)
    .map((mount) => ({
      mount,
      routes: mount.routes.map((route): CompiledRoute => ({ route, segments: route.path.split('/') })),
    }));
  return {
    match(path) {
      for (const { mount, routes } of compiled) {
        if (path !== mount.prefix && !path.startsWith(`${mount.prefix}/`)) continue;
        const segments = (path.slice(mount.prefix.length) || '/').split('/');
        const matched: Route[] = [];
        let params: Record<string, string> = {};
        for (const { route, segments: pattern } of routes) {
          const found = matchSegments(pattern, segments);
          if (found) {
            matched.push(route);
            params = found;
          }
        }
        return { mount, routes: matched, params };
      }
      return undefined;
    },
  };
}
