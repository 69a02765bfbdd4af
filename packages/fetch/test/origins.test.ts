import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigurationError, createAuthFetch, InvalidRequestError } from '../src/index.js';
import { startAppServer, type AppServer } from './support/appServer.js';
import { leaked } from './support/leaks.js';

// An attacker's host: a URL the app was tricked into calling (an API answer's `next` link, a
// user-supplied URL). It records whatever reaches it and answers 401, which would make a naive
// wrapper refresh (and send a fingerprint) on its say-so.
let app: AppServer;
let attacker: { url: string; requests: IncomingHttpHeaders[]; server: Server };

beforeAll(async () => {
  app = await startAppServer();
  const requests: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    requests.push(req.headers);
    res.writeHead(401, { 'www-authenticate': 'Bearer error="invalid_token"' }).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // localhost, not 127.0.0.1: another origin on the same machine.
  attacker = { url: `http://localhost:${(server.address() as AddressInfo).port}`, requests, server };
});
afterAll(async () => {
  attacker?.server.closeAllConnections();
  await new Promise((resolve) => attacker?.server.close(resolve));
  await app?.close();
});
beforeEach(() => {
  app.reset();
  attacker.requests.length = 0;
});

describe('createAuthFetch sends the token only to the origins it is told', () => {
  it('refuses a URL of another origin before anything is sent: no token on the wire, no token request, no refresh', async () => {
    const authFetch = createAuthFetch({ tokenUrl: `${app.url}/token`, origins: [app.url] });
    // Before any token exists, and once one is held.
    const cold = await authFetch(`${attacker.url}/collect?next=1`).catch((e: unknown) => e);
    expect(cold).toBeInstanceOf(InvalidRequestError);
    expect(app.tokenRequests).toBe(0);
    expect((await authFetch(`${app.url}/api/echo`)).status).toBe(200);
    const warm = await Promise.all(
      [`${attacker.url}/collect`, new URL('/x', attacker.url), new Request(`${attacker.url}/y`, { method: 'POST', body: 'a' })].map((input) =>
        authFetch(input).catch((e: unknown) => e),
      ),
    );
    for (const error of warm) expect(error).toMatchObject({ code: 'ERR_INVALID_REQUEST', message: expect.stringContaining(attacker.url) });
    expect(attacker.requests).toEqual([]);
    expect(app.tokenRequests).toBe(1);
    // The message names the origin only: no path or query (which may carry data), and no token.
    expect(String((warm[0] as Error).message)).not.toContain('/collect');
    expect(leaked(warm, app.secrets())).toEqual([]);
  });

  it('allows each listed origin, in any spelling of it, and nothing that only shares its host', async () => {
    const port = new URL(app.url).port;
    const authFetch = createAuthFetch({ tokenUrl: `${app.url}/token`, origins: [`HTTP://127.0.0.1:${port}/`] });
    expect((await authFetch(`${app.url}/api/echo`)).status).toBe(200);
    // Same host, another port or scheme: another origin.
    for (const url of [`${attacker.url}/api/echo`, `https://127.0.0.1:${port}/api/echo`]) {
      await expect(authFetch(url)).rejects.toBeInstanceOf(InvalidRequestError);
    }
    expect(attacker.requests).toEqual([]);
  });

  it('refuses at construction an entry that is not an origin, naming its index and not its value', () => {
    for (const entry of ['sandbox.layerfi.com', 'https://sandbox.layerfi.com/v1', 'https://user:pw@sandbox.layerfi.com', 'https://x.com/?q=1', '']) {
      let error: unknown;
      try {
        createAuthFetch({ tokenUrl: '/token', origins: ['https://api.layerfi.com', entry] });
      } catch (e) {
        error = e;
      }
      expect(error, entry).toBeInstanceOf(ConfigurationError);
      expect((error as Error).message).toContain('origins[1]');
      if (entry) expect((error as Error).message).not.toContain(entry);
    }
  });

  it('without a page (Node, edge) and without origins refuses every call with a ConfigurationError, and still hands out the token', async () => {
    expect(globalThis.location).toBeUndefined();
    const authFetch = createAuthFetch({ tokenUrl: `${app.url}/token` });
    await expect(authFetch(`${app.url}/api/echo`)).rejects.toBeInstanceOf(ConfigurationError);
    expect(app.tokenRequests).toBe(0);
    expect(app.apiAuthorizations).toEqual([]);
    // token() is not a call to anywhere: UI kits given the token itself still work.
    expect((await authFetch.token()).accessToken).toBe(app.minted.at(-1));
  });

  it('a relative URL without a page is an invalid URL (as for fetch): nothing is sent', async () => {
    const authFetch = createAuthFetch({ tokenUrl: `${app.url}/token`, origins: [app.url] });
    await expect(authFetch('/api/echo')).rejects.toBeInstanceOf(TypeError);
    expect(app.tokenRequests).toBe(0);
  });

  it("passes a call that carries the caller's own Authorization untouched: no token of ours is involved", async () => {
    const authFetch = createAuthFetch({ tokenUrl: `${app.url}/token`, origins: [app.url] });
    const response = await authFetch(`${attacker.url}/own`, { headers: { authorization: 'Basic b3duOmNyZWRz' } });
    expect(response.status).toBe(401);
    expect(attacker.requests).toEqual([expect.objectContaining({ authorization: 'Basic b3duOmNyZWRz' })]);
    expect(app.tokenRequests).toBe(0);
  });
});
