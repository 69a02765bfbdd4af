import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fakeJwt } from './mockProvider.js';

/**
 * A loopback HTTP server shaped like the Layer, Thredfi and Asset token endpoints that mints a
 * token for ANY business id (the sandbox knows three per provider), each answer after a random
 * delay so concurrent requests complete out of order. Tokens are unsigned JWTs carrying the
 * `business_id` the request named: what an honest provider would do.
 */
export interface EchoProvider {
  url: string;
  requests: number;
  close(): Promise<void>;
}

const json = (body: unknown) => JSON.stringify(body);

export async function startEchoProvider(maxDelayMs = 15): Promise<EchoProvider> {
  const state = { requests: 0 };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      state.requests += 1;
      const path = (req.url ?? '').split('?')[0] ?? '';
      const body = Buffer.concat(chunks).toString('utf8');
      const now = Math.floor(Date.now() / 1000);
      const token = (claims: Record<string, unknown>) => fakeJwt({ iat: now, exp: now + 3600, jti: randomUUID(), ...claims });
      let reply: unknown;
      let m: RegExpMatchArray | null;
      if (path === '/layer/oauth2/token' || path === '/thredfi/v1/platform/oauth2/token/') {
        reply = { access_token: token({ sub: 'client' }), token_type: 'Bearer', expires_in: 3600 };
      } else if ((m = path.match(/^\/layer\/v1\/businesses\/([^/]+)\/auth-token$/))) {
        reply = { access_token: token({ business_id: decodeURIComponent(m[1]!) }), token_type: 'Bearer', expires_in: 3600 };
      } else if ((m = path.match(/^\/thredfi\/v1\/platform\/([^/]+)\/oauth2\/token\/$/))) {
        const business = decodeURIComponent(m[1]!);
        reply = { access_token: token({ business_id: business }), token_type: 'Bearer', expires_in: 3600, scope: 'business_access', business_id: business };
      } else if (path === '/asset/v0/auth/token') {
        const business = new URLSearchParams(body).get('business_id') ?? undefined;
        reply = { access_token: token({ business_id: business }), token_type: 'Bearer', expires_in: now + 3600 };
      }
      setTimeout(() => {
        res.writeHead(reply === undefined ? 404 : 200, { 'content-type': 'application/json', date: new Date().toUTCString() });
        res.end(json(reply ?? { error: 'not_found' }));
      }, Math.random() * maxDelayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get requests() {
      return state.requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
