import { decodeJwt } from 'jose';
import { request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../src/index.js';
import { basic, bearer, call, postForm } from './helpers.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ seed: 'fault-tests' });
});
afterEach(() => sandbox.faults.clear());
afterAll(() => sandbox.close());

const layerToken = () => {
  const { clientId, clientSecret } = sandbox.credentials.layer;
  return postForm(
    sandbox.urls.layer.authUrl,
    { grant_type: 'client_credentials', scope: 'https://sandbox.layerfi.com/sandbox', client_id: clientId },
    { Authorization: basic(clientId, clientSecret) },
  );
};
const whoami = (token?: string) =>
  call(`${sandbox.urls.layer.apiUrl}/whoami`, { headers: token ? { Authorization: bearer(token) } : {} });

describe('status faults', () => {
  it('plays a queue: three 503s, then a normal token response', async () => {
    sandbox.faults.inject('layer.token', { status: 503, times: 3 });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await layerToken()).status);
    expect(statuses).toEqual([503, 503, 503, 200]);
  });

  it('plays faults given as an array in order', async () => {
    sandbox.faults.inject('layer.token', [{ status: 500 }, { status: 429, retryAfter: 2 }]);
    expect((await layerToken()).status).toBe(500);
    expect((await layerToken()).status).toBe(429);
    expect((await layerToken()).status).toBe(200);
  });

  it('sends Retry-After in seconds or as an HTTP-date with a 429', async () => {
    const date = new Date(Date.now() + 30_000).toUTCString();
    sandbox.faults.inject('layer.token', [{ status: 429, retryAfter: 7 }, { status: 429, retryAfter: date }]);
    const first = await layerToken();
    expect(first.status).toBe(429);
    expect(first.headers['retry-after']).toBe('7');
    expect((await layerToken()).headers['retry-after']).toBe(date);
  });

  it('uses each provider surface’s documented error shape', async () => {
    sandbox.faults.inject('layer.token', { status: 503 });
    expect((await layerToken()).json).toEqual({ error: 'temporarily_unavailable', error_description: expect.any(String) });

    sandbox.faults.inject('layer.whoami', [{ status: 503 }, { status: 429 }]);
    // Layer ApiError: "error_enum ... not included for 5xx server errors".
    expect((await whoami()).json).toEqual({ type: 'Unknown', description: expect.any(String) });
    expect((await whoami()).json).toEqual({ type: 'Unknown', description: expect.any(String), error_enum: 'ManualRateLimit' });

    sandbox.faults.inject('thredfi.businessToken', { status: 500 });
    const thredfi = await call(`${sandbox.urls.thredfi.baseUrl}/v1/platform/${sandbox.businesses.thredfi.owned[0]}/oauth2/token/`, { method: 'POST' });
    expect(thredfi.json).toEqual({ error: 'server_error', error_description: expect.any(String) });

    sandbox.faults.inject('asset.token', { status: 503 });
    const asset = await postForm(`${sandbox.urls.asset.baseUrl}/v0/auth/token`, { client_id: 'x' });
    expect(asset.status).toBe(503);
    expect(asset.json).toEqual({ error: 'Service Unavailable', data: expect.anything() });

    sandbox.faults.inject('layer1.token', { status: 502 });
    const layer1 = await postForm(sandbox.urls.layer1.tokenUrl, {});
    expect(layer1.json).toEqual({ error: 'server_error', error_description: expect.any(String) });
  });

  it('applies until cleared with times: Infinity', async () => {
    sandbox.faults.inject('layer.whoami', { status: 503, times: Infinity });
    for (let i = 0; i < 5; i++) expect((await whoami()).status).toBe(503);
    sandbox.faults.clear('layer.whoami');
    expect((await whoami()).status).toBe(401);
  });

  it('affects only the endpoint it was injected for', async () => {
    sandbox.faults.inject('layer.whoami', { status: 503, times: Infinity });
    expect((await layerToken()).status).toBe(200);
  });

  it('applies a probability with the seeded RNG: same seed, same pattern', async () => {
    const pattern = async (s: Sandbox): Promise<number[]> => {
      s.faults.inject('layer.whoami', { status: 503, probability: 0.5, times: Infinity });
      const out = [];
      for (let i = 0; i < 20; i++) out.push((await call(`${s.urls.layer.apiUrl}/whoami`)).status);
      return out;
    };
    const other = await startSandbox({ seed: 'fault-tests' });
    try {
      const [a, b] = [await pattern(sandbox), await pattern(other)];
      expect(a).toEqual(b);
      expect(a).toContain(503);
      expect(a).toContain(401);
    } finally {
      await other.close();
    }
  });

  it('never fires with probability 0 and keeps its place in the queue', async () => {
    sandbox.faults.inject('layer.whoami', { status: 503, probability: 0 });
    for (let i = 0; i < 5; i++) expect((await whoami()).status).toBe(401);
  });

  it('rejects invalid faults and unknown endpoints', () => {
    expect(() => sandbox.faults.inject('layer.whoami', { latency: 5 } as never)).toThrow(TypeError);
    expect(() => sandbox.faults.inject('layer.whoami', { times: 0 })).toThrow(/times/);
    expect(() => sandbox.faults.inject('layer.whoami', { body: 'xml' as never })).toThrow(/body/);
    expect(() => sandbox.faults.inject('nope' as never, { status: 500 })).toThrow(/Unknown endpoint/);
  });
});

describe('malformed bodies', () => {
  it('sends malformed JSON with a 200', async () => {
    sandbox.faults.inject('layer.token', { body: 'malformed-json' });
    const res = await layerToken();
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(() => res.json).toThrow(SyntaxError);
  });

  it('sends an HTML page, with the status given', async () => {
    sandbox.faults.inject('layer.token', { body: 'html', status: 502 });
    const res = await layerToken();
    expect(res.status).toBe(502);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toMatch(/<html>/);
  });

  it('drops access_token from an otherwise normal response', async () => {
    sandbox.faults.inject('layer.token', { body: 'missing-access-token' });
    const res = await layerToken();
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ expires_in: 3600, token_type: 'Bearer' });
  });

  it('replaces access_token with an opaque string', async () => {
    sandbox.faults.inject('layer.token', { body: 'not-a-jwt' });
    const res = await layerToken();
    expect(res.json.access_token).toEqual(expect.any(String));
    expect(() => decodeJwt(res.json.access_token)).toThrow();
  });

  it('sends a raw body with its content type', async () => {
    sandbox.faults.inject('asset.token', { body: { raw: 'plain failure', contentType: 'text/plain' }, status: 500 });
    const res = await postForm(`${sandbox.urls.asset.baseUrl}/v0/auth/token`, {});
    expect(res.status).toBe(500);
    expect(res.headers['content-type']).toBe('text/plain');
    expect(res.text).toBe('plain failure');
  });
});

describe('connection faults', () => {
  it('delays the response by latencyMs, then answers normally', async () => {
    sandbox.faults.inject('layer.token', { latencyMs: 150 });
    const started = performance.now();
    const res = await layerToken();
    expect(res.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
  });

  it('draws latency from a [min, max] range and can combine it with a status', async () => {
    sandbox.faults.inject('layer.token', { latencyMs: [60, 80], status: 503 });
    const started = performance.now();
    expect((await layerToken()).status).toBe(503);
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
  });

  it('hangs: the request gets no answer until the client gives up', async () => {
    sandbox.faults.inject('layer.token', { hang: true });
    const { clientId, clientSecret } = sandbox.credentials.layer;
    await expect(
      call(sandbox.urls.layer.authUrl, { method: 'POST', headers: { Authorization: basic(clientId, clientSecret) }, headersTimeout: 200 }),
    ).rejects.toMatchObject({ code: 'UND_ERR_HEADERS_TIMEOUT' });
    expect((await layerToken()).status).toBe(200);
  });

  it('drops the connection without a response', async () => {
    sandbox.faults.inject('layer.token', { drop: true });
    await expect(layerToken()).rejects.toMatchObject({ code: 'UND_ERR_SOCKET' });
    expect((await layerToken()).status).toBe(200);
  });

  it('sends the body slowly, in chunks over slowBodyMs', async () => {
    sandbox.faults.inject('layer.token', { slowBodyMs: 400 });
    const { clientId, clientSecret } = sandbox.credentials.layer;
    const res = await request(sandbox.urls.layer.authUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: basic(clientId, clientSecret) },
      body: `grant_type=client_credentials&scope=${encodeURIComponent('https://sandbox.layerfi.com/sandbox')}&client_id=${clientId}`,
    });
    const headersAt = performance.now();
    const chunks: Buffer[] = [];
    for await (const chunk of res.body) chunks.push(chunk as Buffer);
    expect(performance.now() - headersAt).toBeGreaterThanOrEqual(300);
    expect(chunks.length).toBeGreaterThan(1);
    expect(JSON.parse(Buffer.concat(chunks).toString()).access_token).toEqual(expect.any(String));
  });
});

describe('counters', () => {
  it('count every request that reaches an endpoint, faulted ones included', async () => {
    sandbox.stats.reset();
    sandbox.faults.inject('layer.whoami', [{ status: 503 }, { drop: true }]);
    await whoami();
    await whoami().catch(() => undefined);
    await whoami();
    await call(`${sandbox.urls.layer.apiUrl}/whoami`, { method: 'DELETE' });
    expect(sandbox.stats.count('layer.whoami')).toBe(4);
  });
});
