import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { layerScopes, startSandbox, type Sandbox } from '@fintoken/sandbox';

/** What the token endpoint answers instead of a token, for the next request(s). */
export type TokenFault = { status: number; json?: unknown; retryAfter?: string } | { raw: string; contentType?: string } | { json: unknown };

/**
 * The app's own backend, as `@fintoken/express` would be: a token endpoint that mints Layer
 * business tokens from the sandbox (client token, then `POST /v1/businesses/{id}/auth-token`),
 * and an API in front of the sandbox that answers 401 for a stale token.
 */
export interface AppServer {
  url: string;
  sandbox: Sandbox;
  businessId: string;
  /** Requests that reached the token endpoint. */
  tokenRequests: number;
  /** Every business token minted, in order: the API reports which one it saw by index. */
  minted: string[];
  /** Every Authorization header the API received. */
  apiAuthorizations: Array<string | undefined>;
  /** Lifetime of the next tokens, seconds (Layer's session_duration). */
  sessionDuration: number;
  /** Hold the token endpoint's answer this long (to widen races in tests). */
  tokenDelayMs: number;
  /** With a value, the token endpoint answers 401 unless this session cookie is sent. */
  sessionCookie: string | undefined;
  /**
   * Signed-in users, by session cookie value (`sid`), and the business each acts for. While
   * it has entries, the token endpoint mints for the cookie's user only (401 without one), and
   * `POST /session?user=<sid>` / `DELETE /session` sign a browser in and out.
   */
  users: Map<string, string>;
  /** The user (`sid`) each minted token was minted for, in users mode. */
  mintedFor: Map<string, string>;
  /** The sandbox's Layer businesses (businessId is the first). */
  businessIds: string[];
  /** Method and headers of every token request. */
  tokenRequestLog: Array<{ method: string; headers: IncomingMessage['headers']; body: string }>;
  /** Make the API answer 401 to every token, fresh or not. */
  rejectAll: boolean;
  /** Answer the next token requests with these faults, in order. */
  faults: TokenFault[];
  /** Make every token minted so far stale: the API answers 401 for them. */
  revokeAll(): void;
  /** Serve these extra files (e.g. the page and the bundle for the browser tests). */
  files: Map<string, { body: string; type: string }>;
  /** Every secret of this run: minted tokens, the client token and credentials. */
  secrets(): string[];
  reset(): void;
  close(): Promise<void>;
}

export async function startAppServer(): Promise<AppServer> {
  const sandbox = await startSandbox({ providers: ['layer'] });
  const { clientId, clientSecret } = sandbox.credentials.layer;
  const { authUrl, apiUrl } = sandbox.urls.layer;
  const businessIds = sandbox.businesses.layer.active;
  const businessId = businessIds[0]!;
  let clientToken: Promise<string> | undefined;
  let clientTokenValue = '';
  let staleBefore = 0;

  const getClientToken = () =>
    (clientToken ??= (async () => {
      const response = await fetch(authUrl, {
        method: 'POST',
        headers: { authorization: `Basic ${btoa(`${clientId}:${clientSecret}`)}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', scope: layerScopes.sandbox, client_id: clientId }),
      });
      if (!response.ok) throw new Error(`client token: ${response.status}`);
      clientTokenValue = ((await response.json()) as { access_token: string }).access_token;
      return clientTokenValue;
    })());

  const mint = async (business: string): Promise<{ access_token: string; expires_in: number; token_type: string }> => {
    const response = await fetch(`${apiUrl}/v1/businesses/${business}/auth-token`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await getClientToken()}`, 'content-type': 'application/json' },
      body: JSON.stringify({ session_duration: app.sessionDuration }),
    });
    if (!response.ok) throw new Error(`business token: ${response.status}`);
    return (await response.json()) as { access_token: string; expires_in: number; token_type: string };
  };

  async function tokenEndpoint(req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
    app.tokenRequests += 1;
    app.tokenRequestLog.push({ method: req.method ?? 'GET', headers: req.headers, body });
    if (app.tokenDelayMs > 0) await new Promise((r) => setTimeout(r, app.tokenDelayMs));
    const fault = app.faults.shift();
    if (fault !== undefined) {
      if ('status' in fault) {
        const headers: Record<string, string> = fault.retryAfter === undefined ? {} : { 'retry-after': fault.retryAfter };
        return send(res, fault.status, fault.json ?? { error: 'token_unavailable' }, headers);
      }
      if ('json' in fault) return send(res, 200, fault.json);
      res.writeHead(200, { 'content-type': fault.contentType ?? 'application/json', 'cache-control': 'no-store' });
      return void res.end(fault.raw);
    }
    if (app.sessionCookie !== undefined && !(req.headers.cookie ?? '').includes(`sid=${app.sessionCookie}`)) {
      return send(res, 401, { error: 'not_signed_in' });
    }
    const user = sessionOf(req);
    const business = user === undefined ? businessId : app.users.get(user);
    if (business === undefined) return send(res, 401, { error: 'not_signed_in' });
    const token = await mint(business);
    app.minted.push(token.access_token);
    if (user !== undefined) app.mintedFor.set(token.access_token, user);
    // The shape and headers of @fintoken/express's businessTokenHandler.
    send(res, 200, { access_token: token.access_token, token_type: 'Bearer', expires_in: token.expires_in, business_id: business });
  }

  // In users mode, the signed-in user (their `sid` cookie); undefined otherwise.
  const sessionOf = (req: IncomingMessage): string | undefined => {
    if (app.users.size === 0) return undefined;
    const sid = /(?:^|;\s*)sid=([^;]*)/.exec(req.headers.cookie ?? '')?.[1];
    return sid !== undefined && app.users.has(sid) ? sid : '';
  };

  /** `POST /session?user=<sid>` signs the browser in (HttpOnly cookie), `DELETE /session` out. */
  function session(req: IncomingMessage, res: ServerResponse): void {
    const user = new URL(req.url ?? '/', 'http://x').searchParams.get('user') ?? '';
    const signIn = req.method === 'POST' && app.users.has(user);
    res.writeHead(signIn || req.method === 'DELETE' ? 204 : 400, {
      'set-cookie': `sid=${signIn ? user : ''}; HttpOnly; SameSite=Strict; Path=/${signIn ? '' : '; Max-Age=0'}`,
      'cache-control': 'no-store',
    });
    res.end();
  }

  /** `/api/business` is proxied to the sandbox (which verifies the JWT); `/api/echo` echoes the request. */
  async function api(req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
    const authorization = req.headers.authorization;
    app.apiAuthorizations.push(authorization);
    const index = app.minted.findIndex((t) => authorization === `Bearer ${t}`);
    if (app.rejectAll || (index !== -1 && index < staleBefore)) return send(res, 401, { error: 'invalid_token' }, { 'www-authenticate': 'Bearer error="invalid_token"' });
    if (req.url === '/api/business') {
      const upstream = await fetch(`${apiUrl}/v1/businesses/${businessId}`, { headers: authorization === undefined ? {} : { authorization } });
      return send(res, upstream.status, await upstream.json());
    }
    if (index === -1) return send(res, 401, { error: 'invalid_token' });
    send(res, 200, { tokenIndex: index, method: req.method, body });
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0]!;
      const file = app.files.get(path);
      const handled =
        file !== undefined
          ? Promise.resolve(serveFile(res, file))
          : path === '/token'
            ? tokenEndpoint(req, res, Buffer.concat(chunks).toString())
            : path === '/session'
              ? Promise.resolve(session(req, res))
            : path.startsWith('/api/')
              ? api(req, res, Buffer.concat(chunks).toString())
              : Promise.resolve(send(res, 404, { error: 'not_found' }));
      handled.catch(() => send(res, 500, { error: 'test_server_error' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  const serveFile = (res: ServerResponse, file: { body: string; type: string }) => {
    // A session cookie as a signed-in user's page would carry (HttpOnly: the page can't read it).
    const cookie = app.sessionCookie === undefined ? {} : { 'set-cookie': `sid=${app.sessionCookie}; HttpOnly; SameSite=Strict; Path=/` };
    res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store', ...cookie });
    res.end(file.body);
  };

  const app: AppServer = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    sandbox,
    businessId,
    tokenRequests: 0,
    minted: [],
    apiAuthorizations: [],
    sessionDuration: 3600,
    tokenDelayMs: 0,
    sessionCookie: undefined,
    users: new Map(),
    mintedFor: new Map(),
    businessIds,
    faults: [],
    tokenRequestLog: [],
    rejectAll: false,
    files: new Map(),
    revokeAll: () => {
      staleBefore = app.minted.length;
    },
    secrets: () => [...app.minted, clientTokenValue, clientSecret].filter((s) => s !== ''),
    reset: () => {
      app.tokenRequests = 0;
      app.apiAuthorizations = [];
      app.sessionDuration = 3600;
      app.tokenDelayMs = 0;
      app.faults = [];
      app.tokenRequestLog = [];
      app.rejectAll = false;
      app.sessionCookie = undefined;
      app.users.clear();
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await sandbox.close();
    },
  };
  return app;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  res.end(text);
}
