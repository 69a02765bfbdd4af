import { Agent, type Dispatcher } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthenticationError } from '../src/index.js';
import { createProviderClient, fetchClientCredentialsToken, type FetchContext } from '../src/provider.js';
import type { FetchAuthorizer } from '../src/authorizedFetch.js';
import { json, startServer, type TestServer } from './helpers.js';

// A resource server that wants a per-request proof header bound to a server nonce, the way a DPoP
// resource server does (RFC 9449 §9): no nonce or a stale one is a 401 `use_dpop_nonce` with a
// fresh `DPoP-Nonce`; every answer carries the current nonce.
let server: TestServer;
let issued = 0;
let valid = new Set<string>();
let nonce = 'n-1';

beforeAll(async () => {
  server = await startServer((req, res) => {
    if (req.url === '/token') {
      issued += 1;
      const token = `proof-bound-token-${issued}`;
      valid.add(token);
      return json(res, 200, { access_token: token, token_type: 'DPoP', expires_in: 3600 });
    }
    const [scheme, token] = (req.headers.authorization ?? '').split(' ');
    const proof = String(req.headers.proof ?? '');
    if (scheme !== 'Proof' || token === undefined) return json(res, 401, { error: 'invalid_request' });
    if (proof !== `${req.method} ${req.url} ${token} ${nonce}`) {
      return json(res, 401, { error: 'use_dpop_nonce' }, { 'www-authenticate': 'DPoP error="use_dpop_nonce"', 'dpop-nonce': nonce });
    }
    if (!valid.has(token)) return json(res, 401, { error: 'invalid_token' }, { 'dpop-nonce': nonce });
    json(res, 200, { ok: true, body: req.body }, { 'dpop-nonce': nonce });
  });
});
afterAll(() => server.close());

/** What a DPoP authorizer does, reduced to strings: a proof per attempt, the last nonce remembered. */
function proofAuthorizer(dispatcher?: Dispatcher) {
  const seen: string[] = [];
  let known: string | undefined;
  const authorizer: FetchAuthorizer & { seen: string[] } = {
    seen,
    async authorize({ url, method, token }) {
      const path = new URL(url).pathname + new URL(url).search;
      seen.push(`${method} ${path}`);
      return { headers: { authorization: `Proof ${token.accessToken}`, proof: `${method} ${path} ${token.accessToken} ${known ?? ''}` }, dispatcher };
    },
    retrySameToken(response) {
      known = response.headers.get('dpop-nonce') ?? known;
      return response.status === 401 && (response.headers.get('www-authenticate') ?? '').includes('use_dpop_nonce');
    },
  };
  return authorizer;
}

function makeClient(authorizer: FetchAuthorizer, onFetch?: (context: FetchContext) => void) {
  return createProviderClient({
    provider: 'test',
    environment: 'sandbox',
    clientId: 'client-1',
    secrets: [],
    apiUrl: `${server.url}/api`,
    options: { retry: false },
    authorizer,
    fetchToken: (_request, context) => {
      onFetch?.(context);
      return fetchClientCredentialsToken(
        { tokenUrl: `${server.url}/token`, clientId: 'client-1', clientSecret: 'rotated-secret-value', authMethod: 'client_secret_basic' },
        context.transport,
      );
    },
  });
}

describe('fetch with an authorizer', () => {
  it('sends the authorizer headers instead of the Bearer, and answers its challenge once with the same token', async () => {
    const authorizer = proofAuthorizer();
    const client = makeClient(authorizer);
    const before = issued;
    const first = await client.fetch('/thing?x=1', { method: 'post', body: 'hello' });
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ ok: true, body: 'hello' });
    // One proof without the nonce (challenged), one with it; no token refresh for a challenge.
    expect(authorizer.seen).toEqual(['POST /api/thing?x=1', 'POST /api/thing?x=1']);
    expect(issued - before).toBe(1);
    // The nonce learnt from the answers is used at once next time.
    const second = await client.fetch('/other');
    expect(second.status).toBe(200);
    expect(authorizer.seen).toHaveLength(3);
  });

  it('answers a challenge at most once per call, then refreshes on a 401 as without an authorizer', async () => {
    const authorizer = proofAuthorizer();
    const client = makeClient(authorizer);
    await (await client.fetch('/warm')).text();
    nonce = 'n-2'; // the server moves on: the next proof is stale
    valid = new Set(); // and every token was revoked
    const before = issued;
    const response = await client.fetch('/thing');
    expect(response.status).toBe(200);
    expect(issued - before).toBe(1);
    // stale nonce: challenged, retried once with the same token -> 401 (revoked) -> refreshed -> accepted
    expect(authorizer.seen.slice(-3)).toEqual(['GET /api/thing', 'GET /api/thing', 'GET /api/thing']);
  });

  it('leaves a caller-supplied authorization header alone: no authorizer header, no challenge answered', async () => {
    const authorizer = proofAuthorizer();
    const client = makeClient(authorizer);
    const seen: string[] = [];
    server.requests.length = 0;
    const response = await client.fetch('/thing', { headers: { authorization: 'Proof not-a-token', proof: 'mine' } });
    expect(response.status).toBe(401);
    for (const r of server.requests) if (r.url.startsWith('/api/')) seen.push(`${r.headers.authorization} ${r.headers.proof}`);
    // Sent as given; the 401 refreshed the token once (as without an authorizer), no same-token retry.
    expect(seen).toEqual(['Proof not-a-token mine', 'Proof not-a-token mine']);
  });

  it('sends each attempt through the dispatcher the authorizer names', async () => {
    let dispatched = 0;
    class CountingAgent extends Agent {
      override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
        dispatched += 1;
        return super.dispatch(options, handler);
      }
    }
    const agent = new CountingAgent();
    const client = makeClient(proofAuthorizer(agent));
    const response = await client.fetch('/thing');
    expect(response.status).toBe(200);
    expect(dispatched).toBeGreaterThanOrEqual(1);
    await agent.close();
  });
});

describe('FetchContext.addSecret', () => {
  it('redacts a secret read after construction in every form, as the secrets given at construction are', async () => {
    const rotated = 'rotated-secret-value';
    const client = makeClient(proofAuthorizer(), (context) => context.addSecret(rotated));
    await client.getToken();
    server.handle((_req, res) => json(res, 401, { error: 'invalid_client', error_description: `bad ${rotated} / ${encodeURIComponent(`${rotated}+`)} / Basic ${btoa(`client-1:${rotated}`)}` }));
    const error = await client.getToken({ forceRefresh: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(JSON.stringify(error)).not.toContain(rotated);
    expect(JSON.stringify(error)).not.toContain(btoa(`client-1:${rotated}`).replace(/=+$/, ''));
  });
});

describe('keyExtra', () => {
  it('is first called by the first request, never at construction, so its parts may be known late', async () => {
    let part: string | undefined;
    const calls: Array<string | undefined> = [];
    const client = createProviderClient({
      provider: 'test',
      environment: 'sandbox',
      clientId: 'client-1',
      secrets: [],
      options: { retry: false },
      keyExtra: () => {
        calls.push(part);
        return part;
      },
      fetchToken: (_request, context) =>
        fetchClientCredentialsToken(
          { tokenUrl: `${server.url}/token`, clientId: 'client-1', clientSecret: 'a-secret-value', authMethod: 'client_secret_basic' },
          context.transport,
        ),
    });
    expect(calls).toEqual([]);
    part = 'thumbprint-known-later';
    const keys: string[] = [];
    const events = createProviderClient({
      provider: 'test',
      environment: 'sandbox',
      clientId: 'client-1',
      secrets: [],
      options: { retry: false, onEvent: (e) => e.key !== undefined && keys.push(e.key) },
      keyExtra: () => part,
      fetchToken: (_request, context) => {
        keys.push(context.key);
        return fetchClientCredentialsToken(
          { tokenUrl: `${server.url}/token`, clientId: 'client-1', clientSecret: 'a-secret-value', authMethod: 'client_secret_basic' },
          context.transport,
        );
      },
    });
    server.handle((_req, res) => json(res, 200, { access_token: 'late-key-token', token_type: 'Bearer', expires_in: 3600 }));
    await client.getToken();
    await events.getToken();
    expect(calls).toEqual(['thumbprint-known-later']);
    expect(new Set(keys)).toEqual(new Set(['test:sandbox:client-1:x=thumbprint-known-later']));
  });
});
