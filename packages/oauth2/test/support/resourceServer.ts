import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { calculateJwkThumbprint, EmbeddedJWK, jwtVerify } from 'jose';
import type { AuthorizationServer } from './authorizationServer.js';
import { x5tS256, type Pki } from './pki.js';

/**
 * An API that accepts only sender-constrained tokens, checked as RFC 9449 §7 and RFC 8705 §3 tell a
 * resource server to: the token is live and bound (oidc-provider's introspection says `cnf`), and
 * the request proves the binding (a DPoP proof for this method, URL, token and the server's current
 * nonce, signed by the `cnf.jkt` key; or the TLS client certificate whose `x5t#S256` is `cnf`'s).
 */
export interface ResourceServer {
  url: string;
  /** Every request: its status and why it was refused. */
  requests: Array<{ status: number; reason: string }>;
  /** A new nonce: every proof without it is challenged (RFC 9449 §9). */
  rotateNonce(): void;
  close(): Promise<void>;
}

export async function startResourceServer(as: AuthorizationServer, mode: 'dpop' | 'mtls', pki: Pki): Promise<ResourceServer> {
  let nonce = randomUUID();
  const seenJti = new Set<string>();
  const requests: ResourceServer['requests'] = [];

  const handle = async (req: IncomingMessage, res: ServerResponse, origin: string) => {
    const refuse = (reason: string, headers: Record<string, string> = {}) => {
      requests.push({ status: 401, reason });
      res.writeHead(401, { 'content-type': 'application/json', ...headers }).end(JSON.stringify({ error: reason }));
    };
    const [scheme, token] = (req.headers.authorization ?? '').split(' ');
    if (token === undefined) return refuse('no token');
    const introspection = await as.introspect(token);
    if (introspection.active !== true) return refuse('invalid_token');
    const cnf = (introspection.cnf ?? {}) as Record<string, string>;
    if (mode === 'dpop') {
      if (scheme !== 'DPoP' || cnf.jkt === undefined) return refuse('not a DPoP-bound token');
      const proof = req.headers.dpop;
      if (typeof proof !== 'string') return refuse('no proof');
      let payload;
      let jwk;
      try {
        ({ payload, protectedHeader: { jwk } } = await jwtVerify(proof, EmbeddedJWK, { typ: 'dpop+jwt', algorithms: ['ES256', 'EdDSA', 'Ed25519', 'PS256', 'RS256'] }));
      } catch {
        return refuse('invalid proof');
      }
      const url = new URL(req.url ?? '/', origin);
      if (payload.htm !== req.method || payload.htu !== `${url.origin}${url.pathname}`) return refuse('proof for another request');
      if (payload.ath !== createHash('sha256').update(token).digest('base64url')) return refuse('proof for another token');
      if (Math.abs(Date.now() / 1000 - (payload.iat ?? 0)) > 60) return refuse('stale proof');
      if (typeof payload.jti !== 'string' || seenJti.has(payload.jti)) return refuse('replayed proof');
      seenJti.add(payload.jti);
      if (payload.nonce !== nonce) return refuse('use_dpop_nonce', { 'www-authenticate': 'DPoP error="use_dpop_nonce"', 'dpop-nonce': nonce });
      if ((await calculateJwkThumbprint(jwk!)) !== cnf.jkt) return refuse('proof signed by another key');
    } else {
      const peer = (req.socket as TLSSocket).getPeerX509Certificate?.();
      if (peer === undefined) return refuse('no client certificate');
      if (cnf['x5t#S256'] === undefined || cnf['x5t#S256'] !== x5tS256(peer.toString())) return refuse('token bound to another certificate');
    }
    requests.push({ status: 200, reason: 'ok' });
    res.writeHead(200, { 'content-type': 'application/json', 'dpop-nonce': nonce }).end(JSON.stringify({ ok: true, client: introspection.client_id }));
  };

  const server: Server =
    mode === 'dpop'
      ? createServer()
      : (createHttpsServer({ cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert, requestCert: true, rejectUnauthorized: false }) as unknown as Server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `${mode === 'dpop' ? 'http' : 'https'}://127.0.0.1:${(server.address() as AddressInfo).port}`;
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res, url).catch(() => res.destroy());
  });
  return {
    url,
    requests,
    rotateNonce: () => {
      nonce = randomUUID();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
