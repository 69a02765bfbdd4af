import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProviderClient, fetchClientCredentialsToken } from '../src/provider.js';
import { type FintokenEvent } from '../src/index.js';
import { json, startServer, type TestServer } from './helpers.js';

const SECRET = 'sk_test_EVENTS_canary_42f0';
let server: TestServer;
let failures = 0;

beforeAll(async () => {
  server = await startServer((req, res) => {
    if (failures > 0) {
      failures -= 1;
      return json(res, 503, { error: 'temporarily_unavailable' });
    }
    json(res, 200, { access_token: `tok-${server.requests.length}-events`, token_type: 'Bearer', expires_in: 3600 });
  });
});
afterAll(() => server.close());

function makeClient(events: FintokenEvent[], tokenPath: string) {
  return createProviderClient({
    provider: 'test',
    environment: 'sandbox',
    clientId: 'client-1',
    secrets: [SECRET],
    options: { retry: { baseDelayMs: 1 }, onEvent: (event) => events.push({ ...event }) },
    fetchToken: (_request, { transport, key }) =>
      fetchClientCredentialsToken({ tokenUrl: `${server.url}${tokenPath}`, clientId: 'client-1', clientSecret: SECRET, authMethod: 'client_secret_post' }, transport, { key }),
  });
}

describe('events for metrics and tracing', () => {
  it('pairs token.requested with token.fetched and reports each endpoint call once, retries counted', async () => {
    const events: FintokenEvent[] = [];
    failures = 2;
    await makeClient(events, '/token').getToken();
    expect(events.map((e) => e.type)).toEqual(['cache.miss', 'token.requested', 'retry.scheduled', 'retry.scheduled', 'endpoint.called', 'token.fetched']);
    expect(events.find((e) => e.type === 'token.requested')).toMatchObject({ reason: 'miss', provider: 'test' });
    expect(events.find((e) => e.type === 'endpoint.called')).toMatchObject({ method: 'POST', url: `${server.url}/token`, status: 200, attempts: 3 });
  });

  it('reports a failed call with its error and last status', async () => {
    const events: FintokenEvent[] = [];
    failures = 10;
    await expect(makeClient(events, '/token').getToken()).rejects.toMatchObject({ code: 'ERR_PROVIDER' });
    failures = 0;
    const called = events.find((e) => e.type === 'endpoint.called');
    expect(called).toMatchObject({ status: 503, attempts: 4, error: { code: 'ERR_PROVIDER' } });
    expect(events.map((e) => e.type).slice(-2)).toEqual(['endpoint.called', 'token.failed']);
  });

  it('keeps the query and fragment out of the reported URL', async () => {
    const events: FintokenEvent[] = [];
    await makeClient(events, `/token?client_secret=${SECRET}#frag`).getToken();
    const called = events.find((e) => e.type === 'endpoint.called')!;
    expect(called.url).toBe(`${server.url}/token`);
    expect(JSON.stringify(events)).not.toContain(SECRET);
  });

  it('names the business on the events of a business-scoped load, and the expiry on cache hits', async () => {
    const events: FintokenEvent[] = [];
    const client = makeClient(events, '/token');
    await client.getToken({ businessId: 'biz-7' });
    await client.getToken({ businessId: 'biz-7' });
    expect(events.find((e) => e.type === 'endpoint.called')?.businessId).toBe('biz-7');
    const hit = events.find((e) => e.type === 'cache.hit')!;
    expect(hit.expiresAt).toBeGreaterThan(Date.now());
  });
});
