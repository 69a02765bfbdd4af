import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigurationError, type Token, type TokenClient } from '../src/index.js';

// The README's "Adding a provider" example, run as written (its imports pointed at this package's
// source) against a live token server on loopback: the kit's promise is that those ~30 lines are a
// complete provider.
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const block = /<!-- readme-provider:start -->\s*```ts\n([\s\S]*?)```\s*<!-- readme-provider:end -->/.exec(readme)?.[1];
const dir = new URL('./.readme/', import.meta.url);

interface Acme extends TokenClient {
  getToken(request?: { businessId?: string; scope?: string | string[]; resource?: string; forceRefresh?: boolean }): Promise<Token>;
  fetch(path: string): Promise<Response>;
}
let createAcmeClient: (options: Record<string, unknown>) => Acme;

const secrets = { current: 'acme-secret-1' };
const requests: Array<{ path: string; authorization?: string; body: string }> = [];
let server: Server;
let baseUrl: string;

async function body(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text;
}

beforeAll(async () => {
  expect(block, 'the README example between its markers').toBeDefined();
  mkdirSync(dir, { recursive: true });
  writeFileSync(new URL('acme.ts', dir), block!.replaceAll("'@fintoken/core/schema'", "'../../src/schema.js'").replaceAll("'@fintoken/core/provider'", "'../../src/provider.js'").replaceAll("'@fintoken/core'", "'../../src/index.js'"));
  ({ createAcmeClient } = (await import(new URL('acme.ts', dir).href)) as { createAcmeClient: typeof createAcmeClient });
  let n = 0;
  server = createServer(async (req, res) => {
    const text = await body(req);
    requests.push({ path: req.url ?? '', authorization: req.headers.authorization, body: text });
    const send = (status: number, value: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
    await new Promise((r) => setTimeout(r, 10));
    if (req.url === '/oauth/token') {
      const expected = `Basic ${Buffer.from(`acme-client:${secrets.current}`).toString('base64')}`;
      if (req.headers.authorization !== expected) return send(401, { error: 'invalid_client' });
      return send(200, { access_token: `client-token-${++n}`, token_type: 'Bearer', expires_in: 3600, scope: new URLSearchParams(text).get('scope') ?? undefined });
    }
    const business = /^\/v1\/businesses\/([^/]+)\/token$/.exec(req.url ?? '');
    if (business !== null) {
      if (!req.headers.authorization?.startsWith('Bearer client-token-')) return send(401, { error: 'invalid_token' });
      return send(200, { access_token: `business-token-${business[1]}-${++n}`, token_type: 'Bearer', expires_in: 900 });
    }
    if (req.url === '/v1/things') return send(200, { authorization: req.headers.authorization });
    send(404, { error: 'not_found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe("README: 'Adding a provider'", () => {
  it('is a complete provider: one token request for 50 concurrent callers, business tokens minted with the client token, fetch with the Bearer', async () => {
    const acme = createAcmeClient({ clientId: 'acme-client', clientSecret: () => secrets.current, baseUrl });
    requests.length = 0;
    const tokens = await Promise.all(Array.from({ length: 50 }, () => acme.getToken({ scope: 'read write' })));
    expect(new Set(tokens.map((t) => t.accessToken)).size).toBe(1);
    expect(requests.filter((r) => r.path === '/oauth/token')).toHaveLength(1);
    expect(new URLSearchParams(requests[0]!.body).get('grant_type')).toBe('client_credentials');

    const business = await acme.getToken({ businessId: 'biz-1' });
    expect(business).toMatchObject({ businessId: 'biz-1', accessToken: expect.stringMatching(/^business-token-biz-1-/) });
    const answer = await (await acme.fetch('/v1/things')).json();
    expect(answer).toEqual({ authorization: expect.stringMatching(/^Bearer client-token-/) });
    await expect(acme.getToken({ resource: 'https://x.example' })).rejects.toMatchObject({ code: 'ERR_UNSUPPORTED' });
    expect(acme.businessTokens).toEqual({ browser: true });
  });

  it('rotates its secret and refuses bad options without echoing them', async () => {
    const acme = createAcmeClient({ clientId: 'acme-client', clientSecret: () => secrets.current, baseUrl });
    await acme.getToken();
    secrets.current = 'acme-secret-2';
    await expect(acme.getToken({ forceRefresh: true })).resolves.toMatchObject({ tokenType: 'Bearer' });
    expect(() => createAcmeClient({ clientId: '', clientSecret: 'hunter2-secret', baseUrl: 'http://acme.example' })).toThrow(ConfigurationError);
    try {
      createAcmeClient({ clientId: '', clientSecret: 'hunter2-secret', baseUrl: 'http://acme.example' });
    } catch (error) {
      expect((error as Error).message).toMatch(/clientId: must not be empty; baseUrl: must use https/);
      expect((error as Error).message).not.toContain('hunter2');
    }
  });
});
