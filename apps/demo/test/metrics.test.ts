import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemo, type Demo } from '../src/server.js';
import { postJson, signIn } from './helpers.js';

let demo: Demo;
let alice: string;

beforeAll(async () => {
  demo = await startDemo({ port: 0, env: { DEMO_SESSION_SECRET: 'metrics-test-secret' }, log: () => undefined });
  alice = await signIn(demo, 'alice');
});
afterAll(() => demo?.close());

describe('GET /metrics', () => {
  it('serves the token metrics in the Prometheus text format after a token fetch, with nothing identifying', async () => {
    const response = await postJson(`${demo.url}/api/thredfi/token`, alice);
    expect(response.status).toBe(200);
    const { access_token: token, business_id: businessId } = (await response.json()) as { access_token: string; business_id: string };

    const metrics = await fetch(`${demo.url}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await metrics.text();
    expect(text).toMatch(/^fintoken_token_requests_total\{[^}]*fintoken_provider="thredfi"[^}]*fintoken_outcome="success"[^}]*\} [1-9]/m);
    expect(text).toContain('fintoken_token_request_duration_bucket');
    expect(text).toContain('fintoken_cache_lookups_total');
    for (const secret of [token, businessId, demo.sandbox!.credentials.thredfi.apiKey]) expect(text).not.toContain(secret);
  });

  it('is linked from the page', async () => {
    const html = await (await fetch(demo.url)).text();
    expect(html).toMatch(/<a [^>]*href="\/metrics"/);
  });
});
