import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { REJECTED_TOKEN_HEADER, tokenFingerprint } from '@fintoken/core/cache';
import { createAuthFetch, type FintokenEvent } from '../src/index.js';
import { startAppServer, type AppServer } from './support/appServer.js';
import { leaked } from './support/leaks.js';

let app: AppServer;
const events: FintokenEvent[] = [];
const onEvent = (event: FintokenEvent) => events.push(event);

beforeAll(async () => {
  app = await startAppServer();
});
afterAll(async () => {
  await app?.close();
});
beforeEach(() => {
  app.reset();
});

type Echo = { tokenIndex: number; method: string; body: string };
const echo = async (response: Response) => (await response.json()) as Echo;

describe('createAuthFetch (Node, against the sandbox)', () => {
  it('adds the Bearer token from the token endpoint, and the provider API accepts it', async () => {
    const authFetch = createAuthFetch({ tokenUrl: `${app.url}/token`, origins: [app.url], onEvent });
    const response = await authFetch(`${app.url}/api/business`);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { data: { id: string } }).data.id).toBe(app.businessId);
    expect(app.tokenRequests).toBe(1);
    expect(app.apiAuthorizations).toEqual([`Bearer ${app.minted.at(-1)}`]);
    // The request the token endpoint got: POST, JSON wanted.
    expect(app.tokenRequestLog[0]).toMatchObject({ method: 'POST', headers: { accept: 'application/json' } });
  });

  it('keeps an explicit Authorization header, asks for no token and does not retry its 401', async () => {
    const authFetch = createAuthFetch({ tokenUrl: `${app.url}/token`, origins: [app.url] });
    const viaInit = await authFetch(`${app.url}/api/echo`, { headers: { Authorization: 'Bearer callers-own' } });
    const viaRequest = await authFetch(new Request(`${app.url}/api/echo`, { headers: { authorization: 'Bearer from-request' } }));
    expect([viaInit.status, viaRequest.status]).toEqual([401, 401]);
    expect(app.apiAuthorizations).toEqual(['Bearer callers-own', 'Bearer from-request']);
    expect(app.tokenRequests).toBe(0);
  });

  it('keeps the headers of a Request and adds the token to them', async () => {
    const authFetch = createAuthFetch({ tokenUrl: `${app.url}/token`, origins: [app.url] });
    const response = await authFetch(new Request(`${app.url}/api/echo`, { method: 'PUT', headers: { 'x-trace': 'abc' } }));
    expect(response.status).toBe(200);
    expect((await echo(response)).method).toBe('PUT');
    expect(app.apiAuthorizations).toEqual([`Bearer ${app.minted.at(-1)}`]);
  });

  it('makes one token request for 1,000 concurrent callers', async () => {
    app.tokenDelayMs = 50;
    const authFetch = createAuthFetch({ tokenUrl: `${app.url}/token`, origins: [app.url] });
    const responses = await Promise.all(Array.from({ length: 1000 }, () => authFetch(`${app.url}/api/echo`)));
    expect(responses.map((r) => r.status)).toEqual(Array(1000).fill(200));
    const indexes = new Set((await Promise.all(responses.map(echo))).map((e) => e.tokenIndex));
    expect(app.tokenRequests).toBe(1);
    expect(indexes).toEqual(new Set([app.minted.length - 1]));
  });

  it('refreshes ahead of expiry (default lead 30 s) and serves the valid token meanwhile', async () => {
    let now = Date.now();
    const seen: FintokenEvent[] = [];
    const authFetch = createAuthFetch({ tokenUrl: `${app.url}/token`, origins: [app.url], now: () => now, onEvent: (e) => seen.push(e) });
    const first = await echo(await authFetch(`${app.url}/api/echo`));

    now += 3600_000 - 31_000; // 31 s left: outside the lead
    expect((await echo(await authFetch(`${app.url}/api/echo`))).tokenIndex).toBe(first.tokenIndex);
    expect(app.tokenRequests).toBe(1);
    expect(seen.filter((e) => e.reason === 'refresh-ahead')).toEqual([]);

    now += 2_000; // 29 s left: inside the lead, the valid token is used while one refresh runs
    const during = await Promise.all(Array.from({ length: 20 }, () => authFetch(`${app.url}/api/echo`).then(echo)));
    expect(during.map((e) => e.tokenIndex)).toEqual(Array(20).fill(first.tokenIndex));
    await vi.waitFor(() => expect(seen.some((e) => e.type === 'token.refreshed')).toBe(true));
    expect(app.tokenRequests).toBe(2);

    expect((await echo(await authFetch(`${app.url}/api/echo`))).tokenIndex).toBe(first.tokenIndex + 1);
    expect(seen.find((e) => e.type === 'token.refreshed')).toMatchObject({ reason: 'refresh-ahead' });
  });

  it('caps the lead at a third of the lifetime of a short token, inside the server cache\'s half', async () => {
    app.sessionDuration = 45; // lead min(30 s, 15 s) = 15 s
    let now = Date.now();
    const seen: FintokenEvent[] = [];
    const authFetch = createAuthFetch({ tokenUrl: `${app.url}/token`, origins: [app.url], now: () => now, onEvent: (e) => seen.push(e) });
    await authFetch.token();
    now += 28_000;
    await authFetch.token();
    expect(seen.filter((e) => e.reason === 'refresh-ahead')).toEqual([]);
    now += 3_000;
    await authFetch.token();
    expect(seen.filter((e) => e.reason === 'refresh-ahead').map((e) => e.type)).toContain('cache.hit');
    await vi.waitFor(() => expect(seen.some((e) => e.type === 'token.refreshed')).toBe(true));
  });

  it('honours refreshAheadMs', async () => {
    let now = Date.now();
    const seen: FintokenEvent[] = [];
    const authFetch = createAuthFetch({ tokenUrl: `${app.url}/token`, origins: [app.url], refreshAheadMs: 600_000, now: () => now, onEvent: (e) => seen.push(e) });
    await authFetch.token();
    now += 3600_000 - 601_000;
    await authFetch.token();
    expect(seen.some((e) => e.reason === 'refresh-ahead')).toBe(false);
    now += 2_000;
    await authFetch.token();
    expect(seen.some((e) => e.reason === 'refresh-ahead')).toBe(true);
    await vi.waitFor(() => expect(seen.some((e) => e.type === 'token.refreshed')).toBe(true));
  });

  it('never sends an expired token: past expiry, the call waits for a new one', async () => {
    let now = Date.now();
    const authFetch = createAuthFetch({ tokenUrl: `${app.url}/token`, origins: [app.url], now: () => now });
    const first = await echo(await authFetch(`${app.url}/api/echo`));
    now += 3601_000;
    const after = await echo(await authFetch(`${app.url}/api/echo`));
    expect(after.tokenIndex).toBe(first.tokenIndex + 1);
    expect(app.tokenRequests).toBe(2);
  });

  it('on a 401 refreshes once and retries once', async () => {
    const authFetch = createAuthFetch({ tokenUrl: `${app.url}/token`, origins: [app.url] });
    const first = await echo(await authFetch(`${app.url}/api/echo`));
    app.revokeAll();
    const response = await authFetch(`${app.url}/api/business`);
    expect(response.status).toBe(200);
    expect(app.tokenRequests).toBe(2);
    expect(app.apiAuthorizations.slice(1)).toEqual([`Bearer ${app.minted[first.tokenIndex]}`, `Bearer ${app.minted[first.tokenIndex + 1]}`]);
  });

  it("tells the token endpoint which token the API rejected, by fingerprint only", async () => {
    const authFetch = createAuthFetch({ tokenUrl: `${app.url}/token`, origins: [app.url] });
    const first = await echo(await authFetch(`${app.url}/api/echo`));
    expect(app.tokenRequestLog[0]?.headers[REJECTED_TOKEN_HEADER]).toBeUndefined();
    app.revokeAll();
    await authFetch(`${app.url}/api/business`);
    const rejected = app.minted[first.tokenIndex]!;
    const sent = app.tokenRequestLog[1]?.headers[REJECTED_TOKEN_HEADER];
    expect(sent).toBe(await tokenFingerprint(rejected));
    expect(JSON.stringify(app.tokenRequestLog)).not.toContain(rejected);
  });

  it('returns the second 401 rather than looping', async () => {
    const authFetch = createAuthFetch({ tokenUrl: `${app.url}/token`, origins: [app.url] });
    app.rejectAll = true;
    const response = await authFetch(`${app.url}/api/echo`);
    expect(response.status).toBe(401);
    expect(app.tokenRequests).toBe(2);
    expect(app.apiAuthorizations).toHaveLength(2);
  });

  const bodies: Array<[string, () => BodyInit | null | undefined, string]> = [
    ['no body', () => undefined, ''],
    ['a null body', () => null, ''],
    ['a string', () => 'plain text', 'plain text'],
    ['URLSearchParams', () => new URLSearchParams({ a: '1', b: 'two' }), 'a=1&b=two'],
    ['a Blob', () => new Blob(['blob body']), 'blob body'],
    ['an ArrayBuffer', () => new TextEncoder().encode('array buffer').buffer as ArrayBuffer, 'array buffer'],
    ['a typed array', () => new TextEncoder().encode('typed array'), 'typed array'],
  ];
  it.each(bodies)('retries a request with %s and sends the same body again', async (_name, body, expected) => {
    const authFetch = createAuthFetch({ tokenUrl: `${app.url}/token`, origins: [app.url] });
    await authFetch.token();
    app.revokeAll();
    const init = body() === undefined ? { method: 'POST' } : { method: 'POST', body: body() };
    const result = await echo(await authFetch(`${app.url}/api/echo`, init));
    expect(result.body).toBe(expected);
    expect(app.tokenRequests).toBe(2);
  });

  it('retries a FormData body', async () => {
    const authFetch = createAuthFetch({ tokenUrl: `${app.url}/token`, origins: [app.url] });
    await authFetch.token();
    app.revokeAll();
    const form = new FormData();
    form.set('field', 'form value');
    const result = await echo(await authFetch(`${app.url}/api/echo`, { method: 'POST', body: form }));
    expect(result.body).toContain('form value');
    expect(app.apiAuthorizations).toHaveLength(2);
  });

  it('returns the 401 when the body is a stream (it cannot be sent twice)', async () => {
    const authFetch = createAuthFetch({ tokenUrl: `${app.url}/token`, origins: [app.url] });
    await authFetch.token();
    app.revokeAll();
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('streamed'));
        controller.close();
      },
    });
    const response = await authFetch(`${app.url}/api/echo`, { method: 'POST', body: stream, duplex: 'half' } as RequestInit);
    expect(response.status).toBe(401);
    expect(app.tokenRequests).toBe(1);
    expect(app.apiAuthorizations).toHaveLength(1);
  });

  it('returns the 401 when the body belongs to a Request', async () => {
    const authFetch = createAuthFetch({ tokenUrl: `${app.url}/token`, origins: [app.url] });
    await authFetch.token();
    app.revokeAll();
    const response = await authFetch(new Request(`${app.url}/api/echo`, { method: 'POST', body: 'in the request' }));
    expect(response.status).toBe(401);
    expect(app.tokenRequests).toBe(1);
  });

  it('makes one token request for a storm of 200 concurrent 401s', async () => {
    app.tokenDelayMs = 30;
    const authFetch = createAuthFetch({ tokenUrl: `${app.url}/token`, origins: [app.url] });
    const first = await echo(await authFetch(`${app.url}/api/echo`));
    app.revokeAll();
    const results = await Promise.all(Array.from({ length: 200 }, () => authFetch(`${app.url}/api/echo`).then(echo)));
    expect(app.tokenRequests).toBe(2);
    expect(new Set(results.map((r) => r.tokenIndex))).toEqual(new Set([first.tokenIndex + 1]));
    // A 401 arriving late for the token already replaced refreshes nothing.
    const late = await authFetch.token({ forceRefresh: true, rejectedToken: app.minted[first.tokenIndex]! });
    expect(late.accessToken).toBe(app.minted[first.tokenIndex + 1]);
    expect(app.tokenRequests).toBe(2);
  });

  it('forgets the token on clear()', async () => {
    const authFetch = createAuthFetch({ tokenUrl: `${app.url}/token`, origins: [app.url] });
    await authFetch.token();
    authFetch.clear();
    await authFetch.token();
    expect(app.tokenRequests).toBe(2);
  });

  it('sends tokenRequestInit with the token request', async () => {
    const authFetch = createAuthFetch({
      tokenUrl: `${app.url}/token`,
      tokenRequestInit: { method: 'PUT', headers: { 'x-csrf-token': 'csrf-1', accept: 'application/json' }, body: '{}' },
    });
    await authFetch.token();
    expect(app.tokenRequestLog[0]).toMatchObject({ method: 'PUT', headers: { 'x-csrf-token': 'csrf-1' }, body: '{}' });
  });

  it('leaks no token into the events or the returned token object', async () => {
    const authFetch = createAuthFetch({ tokenUrl: `${app.url}/token`, origins: [app.url], onEvent });
    const token = await authFetch.token();
    expect(token.accessToken).toBe(app.minted.at(-1));
    expect(events.length).toBeGreaterThan(0);
    expect(leaked([...events, token], app.secrets())).toEqual([]);
  });
});
