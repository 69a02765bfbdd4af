import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { businessTokenHandler } from '@fintoken/express';
import { createLayerClient } from '@fintoken/layer';
import { startSandbox, type Sandbox } from '@fintoken/sandbox';
import express from 'express';

/**
 * The backend a React page talks to, as an integrator writes it: `@fintoken/express`'s
 * `businessTokenHandler` minting Layer business tokens from the sandbox. Each route counts the
 * requests it gets and keeps their headers.
 */
export interface TokenServer {
  url: string;
  sandbox: Sandbox;
  businessId: string;
  /** Requests per URL (path and query), e.g. `requests('/api/layer/business-token?test=1')`. */
  requests(path: string): Array<Record<string, string | string[] | undefined>>;
  /** While false, `authorize` refuses the session (403), as after a sign-out. */
  signedIn: boolean;
  /** Who is signed in: alice acts for the sandbox's first Layer business, bob for its second. */
  user: 'alice' | 'bob';
  /** The business each user acts for. */
  businesses: { alice: string; bob: string };
  /** Status of `GET /v1/businesses/{id}` on the sandbox's Layer API with this token. */
  layerApiStatus(token: string): Promise<number>;
  close(): Promise<void>;
}

export async function startTokenServer(): Promise<TokenServer> {
  const sandbox = await startSandbox({ providers: ['layer'] });
  const businessId = sandbox.businesses.layer.active[0]!;
  const layer = createLayerClient({
    clientId: sandbox.credentials.layer.clientId,
    clientSecret: sandbox.credentials.layer.clientSecret,
    environment: 'sandbox',
    authUrl: sandbox.urls.layer.authUrl,
    apiUrl: sandbox.urls.layer.apiUrl,
  });
  const log = new Map<string, Array<Record<string, string | string[] | undefined>>>();
  const app = express();
  const result: TokenServer = {
    url: '',
    sandbox,
    businessId,
    signedIn: true,
    user: 'alice',
    businesses: { alice: businessId, bob: sandbox.businesses.layer.active[1]! },
    requests: (path) => log.get(path) ?? [],
    async layerApiStatus(token) {
      const response = await fetch(`${sandbox.urls.layer.apiUrl}/v1/businesses/${businessId}`, { headers: { authorization: `Bearer ${token}` } });
      await response.body?.cancel();
      return response.status;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await sandbox.close();
    },
  };
  app.use((req, _res, next) => {
    log.set(req.originalUrl, [...result.requests(req.originalUrl), { ...req.headers }]);
    next();
  });
  const authorize = () => (result.signedIn ? result.businesses[result.user] : undefined);
  // Layer's default session (3600 s), and a short one for rotation tests in real time.
  app.post('/api/layer/business-token', businessTokenHandler({ client: layer, authorize }));
  app.post('/api/layer/short-token', businessTokenHandler({ client: layer, authorize, sessionDuration: 6 }));
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  result.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return result;
}
