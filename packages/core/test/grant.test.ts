import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthenticationError, NetworkError, ProviderError, ResponseValidationError, TimeoutError, type FintokenEvent } from '../src/index.js';
import { fetchClientCredentialsToken } from '../src/provider.js';
import { json, startServer, tokenIssuer, type TestServer } from './helpers.js';
import { testTransport } from './transport.js';

const SECRET = 'sk_live_SECRET_canary_91f3';
let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

const creds = (method: 'client_secret_basic' | 'client_secret_post' = 'client_secret_basic') => ({
  tokenUrl: `${server.url}/oauth2/token`,
  clientId: 'client-1',
  clientSecret: SECRET,
  authMethod: method,
});

describe('client credentials grant (RFC 6749 §4.4)', () => {
  it('sends Basic credentials and the form fields exactly', async () => {
    server.requests.length = 0;
    server.handle(tokenIssuer(3600));
    const token = await fetchClientCredentialsToken(
      { ...creds(), clientIdInBody: true, fields: { scope: 'https://sandbox.layerfi.com/sandbox' } },
      testTransport(),
    );
    const req = server.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(req.headers.authorization).toBe(`Basic ${Buffer.from(`client-1:${SECRET}`).toString('base64')}`);
    expect(req.body).toBe('grant_type=client_credentials&client_id=client-1&scope=https%3A%2F%2Fsandbox.layerfi.com%2Fsandbox');
    expect(token.accessToken).toBe('token-1');
    expect(token.tokenType).toBe('Bearer');
    expect(token.expiresAt - token.issuedAt!).toBe(3600_000);
  });

  it('sends client_secret_post credentials in the form, and repeats array fields', async () => {
    server.requests.length = 0;
    server.handle(tokenIssuer());
    await fetchClientCredentialsToken({ ...creds('client_secret_post'), fields: { resource: ['https://a.example', 'https://b.example'] } }, testTransport());
    const req = server.requests[0]!;
    expect(req.headers.authorization).toBeUndefined();
    expect(req.body).toBe(`grant_type=client_credentials&client_id=client-1&client_secret=${SECRET}&resource=https%3A%2F%2Fa.example&resource=https%3A%2F%2Fb.example`);
  });

  it('raises ResponseValidationError naming access_token when it is missing', async () => {
    server.handle((_r, res) => json(res, 200, { token_type: 'Bearer', expires_in: 3600 }));
    const error = await fetchClientCredentialsToken(creds(), testTransport()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect(error).toMatchObject({ field: 'access_token', code: 'ERR_RESPONSE_VALIDATION' });
  });

  it('raises ResponseValidationError for an HTML page', async () => {
    server.handle((_r, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>maintenance</html>');
    });
    await expect(fetchClientCredentialsToken(creds(), testTransport())).rejects.toMatchObject({ field: '(body)' });
  });

  it('raises ResponseValidationError for expires_in of the wrong type', async () => {
    server.handle((_r, res) => json(res, 200, { access_token: 'x', expires_in: '3600' }));
    await expect(fetchClientCredentialsToken(creds(), testTransport())).rejects.toMatchObject({ field: 'expires_in' });
  });

  it('maps invalid_client to AuthenticationError without retrying, and redacts an echoed secret', async () => {
    server.requests.length = 0;
    server.handle((_r, res) => json(res, 401, { error: 'invalid_client', error_description: `client secret ${SECRET} is wrong` }));
    const error = (await fetchClientCredentialsToken(creds(), testTransport({}, [], [SECRET])).catch((e: unknown) => e)) as AuthenticationError;
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.status).toBe(401);
    expect(error.providerCode).toBe('invalid_client');
    expect(server.requests).toHaveLength(1);
    const { inspect } = await import('node:util');
    for (const text of [error.message, String(error), inspect(error), JSON.stringify(error), error.stack ?? '']) {
      expect(text).not.toContain(SECRET);
    }
  });

  it('redacts JWTs that a provider echoes', async () => {
    const jwt = await new SignJWT({ sub: 'x' }).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode('k'.repeat(32)));
    server.handle((_r, res) => json(res, 400, { error: 'invalid_request', error_description: `bad token ${jwt}` }));
    const error = (await fetchClientCredentialsToken(creds(), testTransport()).catch((e: unknown) => e)) as ProviderError;
    expect(error.message).not.toContain(jwt);
    expect(error.message).toContain('[REDACTED]');
  });

  it('retries a 503 and then succeeds', async () => {
    server.requests.length = 0;
    let n = 0;
    const issue = tokenIssuer();
    server.handle((req, res) => (++n <= 2 ? json(res, 503, { error: 'temporarily_unavailable' }) : issue(req, res)));
    const events: FintokenEvent[] = [];
    const token = await fetchClientCredentialsToken(creds(), testTransport({}, events));
    expect(token.accessToken).toBe('token-1');
    expect(server.requests).toHaveLength(3);
    expect(events.filter((e) => e.type === 'retry.scheduled')).toHaveLength(2);
  });

  it('honours Retry-After in seconds on a 429', async () => {
    server.requests.length = 0;
    let n = 0;
    const issue = tokenIssuer();
    server.handle((req, res) => (++n === 1 ? json(res, 429, { error: 'slow_down' }, { 'retry-after': '1' }) : issue(req, res)));
    const events: FintokenEvent[] = [];
    await fetchClientCredentialsToken(creds(), testTransport({}, events));
    expect(events.find((e) => e.type === 'retry.scheduled')?.delayMs).toBe(1000);
    expect(server.requests).toHaveLength(2);
  });

  it('honours Retry-After as an HTTP-date measured against the Date header', async () => {
    let n = 0;
    const issue = tokenIssuer();
    server.handle((req, res) => {
      if (++n > 1) return issue(req, res);
      // Server clock 10 minutes ahead of ours: the retry time is 2 s after *its* now.
      const serverNow = Date.now() + 600_000;
      json(res, 429, { error: 'slow_down' }, { date: new Date(serverNow).toUTCString(), 'retry-after': new Date(serverNow + 2000).toUTCString() });
    });
    const events: FintokenEvent[] = [];
    await fetchClientCredentialsToken(creds(), testTransport({}, events));
    const delay = events.find((e) => e.type === 'retry.scheduled')?.delayMs ?? -1;
    expect(delay).toBeGreaterThanOrEqual(1000);
    expect(delay).toBeLessThanOrEqual(3000);
  });

  it('gives up on a Retry-After longer than the cap', async () => {
    server.requests.length = 0;
    server.handle((_r, res) => json(res, 429, { error: 'slow_down' }, { 'retry-after': '3600' }));
    const error = (await fetchClientCredentialsToken(creds(), testTransport()).catch((e: unknown) => e)) as ProviderError;
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.retryAfterMs).toBe(3_600_000);
    expect(server.requests).toHaveLength(1);
  });

  it.each([400, 401, 403, 404, 422])('never retries a %i', async (status) => {
    server.requests.length = 0;
    server.handle((_r, res) => json(res, status, { error: 'nope' }));
    await expect(fetchClientCredentialsToken(creds(), testTransport())).rejects.toBeInstanceOf(ProviderError);
    expect(server.requests).toHaveLength(1);
  });

  it('bounds the number of attempts', async () => {
    server.requests.length = 0;
    server.handle((_r, res) => json(res, 500, { error: 'server_error' }));
    await expect(fetchClientCredentialsToken(creds(), testTransport({ retry: { attempts: 3, baseDelayMs: 1 } }))).rejects.toMatchObject({ status: 500 });
    expect(server.requests).toHaveLength(3);
  });

  it('times out a hung endpoint with TimeoutError', async () => {
    server.handle(() => undefined); // never answers
    const started = Date.now();
    const error = await fetchClientCredentialsToken(creds(), testTransport({ timeoutMs: 200, retry: false })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('ends within the retry deadline on a hung endpoint', async () => {
    server.handle(() => undefined);
    const started = Date.now();
    const error = await fetchClientCredentialsToken(creds(), testTransport({ timeoutMs: 300, retry: { attempts: 10, deadlineMs: 1_000, baseDelayMs: 10 } })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('refuses a body over the size cap', async () => {
    server.handle((_r, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ access_token: 'x'.repeat(10_000), expires_in: 60 }));
    });
    await expect(fetchClientCredentialsToken(creds(), testTransport({ maxBodyBytes: 1024 }))).rejects.toMatchObject({
      code: 'ERR_RESPONSE_VALIDATION',
      field: '(body)',
    });
  });

  it('stops reading a streamed body at the cap (the server sees the connection closed)', async () => {
    // An endless chunked body: only cancelling the stream ends this exchange.
    let written = 0;
    let closed!: () => void;
    const serverSawClose = new Promise<void>((resolve) => (closed = resolve));
    server.handle((_r, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.on('close', closed);
      const pump = () => {
        while (!res.destroyed && written < 64 * 1024 * 1024) {
          written += 16 * 1024;
          if (!res.write('x'.repeat(16 * 1024))) return void res.once('drain', pump);
        }
      };
      pump();
    });
    const error = await fetchClientCredentialsToken(creds(), testTransport({ maxBodyBytes: 64 * 1024, retry: false })).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_RESPONSE_VALIDATION', field: '(body)' });
    await serverSawClose;
    // What the kernel and the client buffered before the cancel, far short of the 64 MiB on offer.
    expect(written).toBeLessThan(16 * 1024 * 1024);
  });

  it('raises NetworkError when nothing listens', async () => {
    const closed = await startServer();
    const url = closed.url;
    await closed.close();
    const error = await fetchClientCredentialsToken({ ...creds(), tokenUrl: `${url}/token` }, testTransport({ retry: false })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
  });

  it('raises NetworkError on a dropped connection, after retrying', async () => {
    server.requests.length = 0;
    server.handle((_r, res) => void res.socket?.destroy());
    const error = await fetchClientCredentialsToken(creds(), testTransport({ retry: { attempts: 2, baseDelayMs: 1 } })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect(server.requests).toHaveLength(2);
  });

  it('tightens the expiry with a JWT exp earlier than expires_in', async () => {
    const now = Math.floor(Date.now() / 1000);
    const jwt = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setExpirationTime(now + 600).sign(new TextEncoder().encode('k'.repeat(32)));
    server.handle((_r, res) => json(res, 200, { access_token: jwt, expires_in: 3600 }));
    const events: FintokenEvent[] = [];
    const token = await fetchClientCredentialsToken(creds(), testTransport({}, events));
    expect(token.expiresAt - Date.now()).toBeLessThan(601_000);
    expect(token.expiresAt - Date.now()).toBeGreaterThan(590_000);
    expect(events.some((e) => e.type === 'token.expiry_adjusted' && e.reason === 'jwt-exp-earlier')).toBe(true);
  });

  it('corrects an absolute expires_in with the Date header (server clock 10 minutes ahead)', async () => {
    const skew = 600_000;
    server.handle((_r, res) => {
      const serverNow = Date.now() + skew;
      json(res, 200, { access_token: 'abs', expires_in: Math.floor((serverNow + 3600_000) / 1000) }, { date: new Date(serverNow).toUTCString() });
    });
    const token = await fetchClientCredentialsToken(creds(), testTransport(), { expiresInMode: 'absolute' });
    const lifetime = token.expiresAt - token.issuedAt!;
    expect(lifetime).toBeGreaterThan(3598_000);
    expect(lifetime).toBeLessThanOrEqual(3601_000);
  });

  it('treats an absolute expires_in that looks like a duration as one, and says so', async () => {
    server.handle((_r, res) => json(res, 200, { access_token: 'dur', expires_in: 3600 }));
    const events: FintokenEvent[] = [];
    const token = await fetchClientCredentialsToken(creds(), testTransport({}, events), { expiresInMode: 'absolute' });
    expect(token.expiresAt - token.issuedAt!).toBe(3600_000);
    expect(events.some((e) => e.type === 'token.expiry_adjusted' && e.reason === 'absolute-looked-like-duration')).toBe(true);
  });
});

describe('business isolation', () => {
  const jwtFor = (claims: Record<string, unknown>) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode('k'.repeat(32)));

  it('refuses a JWT that names another business than the one asked for', async () => {
    const other = await jwtFor({ business_id: 'biz-B' });
    server.handle((_r, res) => json(res, 200, { access_token: other, expires_in: 3600 }));
    await expect(fetchClientCredentialsToken(creds(), testTransport(), { businessId: 'biz-A' })).rejects.toMatchObject({
      code: 'ERR_RESPONSE_VALIDATION',
      field: 'access_token.business_id',
    });
  });

  it('accepts a JWT naming the same business (case-insensitively) and a token naming none', async () => {
    const same = await jwtFor({ business_id: 'BIZ-A' });
    server.handle((_r, res) => json(res, 200, { access_token: same, expires_in: 3600 }));
    expect((await fetchClientCredentialsToken(creds(), testTransport(), { businessId: 'biz-a' })).businessId).toBe('biz-a');
    server.handle((_r, res) => json(res, 200, { access_token: 'opaque-token', expires_in: 3600 }));
    expect((await fetchClientCredentialsToken(creds(), testTransport(), { businessId: 'biz-a' })).businessId).toBe('biz-a');
  });
});
