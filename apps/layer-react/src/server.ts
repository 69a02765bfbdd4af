import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { businessTokenHandler } from '@fintoken/express';
import { createLayerClient } from '@fintoken/layer';
import { layerScopes, startSandbox, type Sandbox } from '@fintoken/sandbox';
import express from 'express';
import { faviconRoute } from './favicon.js';
import { loopbackHostsOnly } from './hostCheck.js';
import { renderPage, type PageConfig } from './page.js';

export { faviconRoute } from './favicon.js';
export { loopbackHostsOnly } from './hostCheck.js';

export interface LayerReactAppOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /**
   * Business token lifetime in seconds, sent as Layer's `session_duration` (seed:
   * layer-business-auth-token). Default 20: short, so the page shows the token rotating.
   */
  sessionDuration?: number;
  /** A running sandbox to use (the demo shares its own); by default one is started in-process. */
  sandbox?: Sandbox;
  /** The Layer client's events (the demo feeds them to its /metrics). */
  onEvent?: Parameters<typeof createLayerClient>[0]['onEvent'];
  /** The demo page this sample was started from, for the page's link back. */
  demoUrl?: string;
}

export interface LayerReactApp {
  url: string;
  sandbox: Sandbox;
  /** The business the page shows. */
  businessId: string;
  close(): Promise<void>;
}

// dist/server.js and src/server.ts both sit one level below the package root.
const webDir = fileURLToPath(new URL('../dist/web/', import.meta.url));

const tokenPath = '/api/layer/business-token';

/**
 * Starts the sample: an Express server that mints Layer business tokens with
 * `@fintoken/express` and serves a React 18 page where `useBusinessToken` feeds Layer's own
 * `LayerProvider` (from `@layerfi/components`), pointed at the sandbox's Layer API.
 *
 * @example
 * const app = await startLayerReactApp({ sessionDuration: 20 });
 * console.log(app.url);
 * await app.close();
 */
export async function startLayerReactApp(options: LayerReactAppOptions = {}): Promise<LayerReactApp> {
  const sandbox = options.sandbox ?? (await startSandbox({ providers: ['layer'] }));
  const ownsSandbox = options.sandbox === undefined;
  const { clientId, clientSecret } = sandbox.credentials.layer;
  const { authUrl, apiUrl } = sandbox.urls.layer;
  // The client secret stays here; the page only ever gets business-scoped tokens.
  const client = createLayerClient({ clientId, clientSecret, environment: 'sandbox', authUrl, apiUrl, ...(options.onEvent ? { onEvent: options.onEvent } : {}) });
  const businessId = sandbox.businesses.layer.active[0] as string;

  const config: PageConfig = {
    businessId,
    tokenUrl: tokenPath,
    layer: { environment: 'sandbox', apiUrl, authUrl, scope: layerScopes.sandbox },
    ...(options.demoUrl === undefined ? {} : { demoUrl: options.demoUrl }),
  };
  const page = renderPage(config);

  const app = express();
  app.disable('x-powered-by');
  // DNS rebinding: only requests addressed to this machine (see hostCheck.ts).
  const host = options.host ?? '127.0.0.1';
  app.use(loopbackHostsOnly(host));
  app.use(faviconRoute());
  app.get('/', (_req, res) => {
    res.type('html').set('Cache-Control', 'no-store').send(page);
  });
  app.use('/assets', express.static(webDir, { fallthrough: false }));
  app.post(
    tokenPath,
    businessTokenHandler({
      client,
      // A real app answers from the signed-in user's session; this sample has one user and one business.
      authorize: () => businessId,
      lifetimeSeconds: options.sessionDuration ?? 20,
    }),
  );

  const server = createServer(app);
  const address = await listen(server, options.port ?? 0, host);
  return {
    url: `http://${address.address}:${address.port}`,
    sandbox,
    businessId,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (ownsSandbox) await sandbox.close();
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}
