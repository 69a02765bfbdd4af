import express, { type Request, type Response, type Router } from 'express';
import type { DemoContext } from '../context.js';
import { browserTokenProviders } from '../providers.js';

// Headers that matter to the API call; cookies and everything else stay here.
const FORWARD_REQUEST = ['authorization', 'accept', 'content-type'];
const FORWARD_RESPONSE = ['content-type', 'retry-after', 'www-authenticate'];

/**
 * The upstream URL for `/proxy/:provider<rawPath>`, or undefined if the path tries to leave the
 * API (dot segments, encoded slashes). The path is kept as sent: Thredfi's trailing slash matters.
 */
export function upstreamUrl(apiUrl: string, rawPath: string, search: string): string | undefined {
  if (!rawPath.startsWith('/')) return undefined;
  for (const segment of rawPath.split('/')) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return undefined;
    }
    if (decoded === '.' || decoded === '..' || decoded.includes('/') || decoded.includes('\\')) return undefined;
  }
  const base = new URL(apiUrl).href.replace(/\/+$/, '');
  const url = new URL(`${base}${rawPath}${search}`).href;
  return url.startsWith(`${base}/`) ? url : undefined;
}

/**
 * `/proxy/{layer,asset}/*`: the provider sandboxes send no CORS headers, so the page calls
 * them through its own origin. The Authorization header the page set (its business token) goes
 * through untouched; the proxy adds no credential of its own.
 */
export function proxyRoutes(ctx: DemoContext): Router {
  const router = express.Router();
  const raw = express.raw({ type: () => true, limit: '1mb' });
  for (const provider of browserTokenProviders) {
    router.all(`/proxy/${provider}/*path`, ctx.sessions.require, raw, async (req: Request, res: Response) => {
      const [path = '', query] = req.originalUrl.split(/\?(.*)/s);
      const rawPath = path.slice(`/proxy/${provider}`.length);
      const target = upstreamUrl(ctx.connections[provider].apiUrl, rawPath, query ? `?${query}` : '');
      if (target === undefined) {
        res.status(400).json({ error: { code: 'bad_path', message: 'Path outside the provider API' } });
        return;
      }
      const headers = new Headers();
      for (const name of FORWARD_REQUEST) {
        const value = req.headers[name];
        if (typeof value === 'string') headers.set(name, value);
      }
      const hasBody = req.method !== 'GET' && req.method !== 'HEAD' && Buffer.isBuffer(req.body) && req.body.length > 0;
      try {
        const upstream = await fetch(target, {
          method: req.method,
          headers,
          redirect: 'manual',
          signal: AbortSignal.timeout(15_000),
          ...(hasBody ? { body: new Uint8Array(req.body as Buffer) } : {}),
        });
        res.status(upstream.status);
        for (const name of FORWARD_RESPONSE) {
          const value = upstream.headers.get(name);
          if (value !== null) res.set(name, value);
        }
        res.set('Cache-Control', 'no-store');
        res.send(Buffer.from(await upstream.arrayBuffer()));
      } catch {
        res.status(502).json({ error: { code: 'bad_gateway', message: `Could not reach the ${provider} API` } });
      }
    });
  }
  return router;
}
