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

const scrape = async () => (await fetch(`${demo.url}/metrics`)).text();
/** The value of the one sample of `metric` whose labels include all of `labels`. */
const sample = (text: string, metric: string, labels: Record<string, string>): number | undefined => {
  const line = text
    .split('\n')
    .find((l) => l.startsWith(`${metric}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
};

describe('GET /metrics', () => {
  // First: nothing has asked for a token yet.
  it('has every counter series at zero from the first scrape, before any card is used', async () => {
    const text = await scrape();
    expect(text).not.toContain('# no registered metrics');
    for (const provider of ['layer', 'thredfi', 'asset', 'layer1']) {
      for (const reason of ['miss', 'expired', 'refresh-ahead', 'forced']) {
        expect(sample(text, 'fintoken_token_requests_total', { fintoken_provider: provider, fintoken_reason: reason, fintoken_outcome: 'success' }), `${provider} ${reason}`).toBe(0);
      }
      for (const result of ['hit', 'miss']) expect(sample(text, 'fintoken_cache_lookups_total', { fintoken_provider: provider, fintoken_cache_result: result })).toBe(0);
      expect(sample(text, 'fintoken_token_refreshes_active', { fintoken_provider: provider })).toBe(0);
      expect(sample(text, 'fintoken_store_hits_total', { fintoken_provider: provider })).toBe(0);
    }
    // One stream per metric: the zero series are the instrumentation's own, not a second registration.
    const types = text.split('\n').filter((l) => l.startsWith('# TYPE '));
    expect(new Set(types).size).toBe(types.length);
    expect(types.filter((l) => l.startsWith('# TYPE fintoken_token_requests_total '))).toHaveLength(1);
  });

  it("counts the React sample's token traffic (apps/layer-react, started alongside) under Layer", async () => {
    const before = sample(await scrape(), 'fintoken_token_requests_total', { fintoken_provider: 'layer', fintoken_reason: 'miss', fintoken_outcome: 'success' })!;
    const response = await fetch(`${demo.layerReactUrl}/api/layer/business-token`, { method: 'POST' });
    expect(response.status).toBe(200);
    // Its Layer client fetched a client token and a business token: two loads.
    const after = sample(await scrape(), 'fintoken_token_requests_total', { fintoken_provider: 'layer', fintoken_reason: 'miss', fintoken_outcome: 'success' })!;
    expect(after - before).toBe(2);
  });

  it('serves the token metrics in the Prometheus text format after a token fetch, with nothing identifying', async () => {
    const response = await postJson(`${demo.url}/api/asset/token`, alice);
    expect(response.status).toBe(200);
    const { access_token: token, business_id: businessId } = (await response.json()) as { access_token: string; business_id: string };

    const metrics = await fetch(`${demo.url}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await metrics.text();
    expect(text).toMatch(/^fintoken_token_requests_total\{[^}]*fintoken_provider="asset"[^}]*fintoken_outcome="success"[^}]*\} [1-9]/m);
    expect(text).toContain('fintoken_token_request_duration_bucket');
    expect(text).toContain('fintoken_cache_lookups_total');
    for (const secret of [token, businessId, demo.sandbox!.credentials.asset.clientSecret]) expect(text).not.toContain(secret);
  });

  it('is linked from the page', async () => {
    const html = await (await fetch(demo.url)).text();
    expect(html).toMatch(/<a [^>]*href="\/metrics"/);
  });
});
