import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { failingStore, useLayerTelemetry, type Point } from './harness.js';

const env = useLayerTelemetry();

/** Everything the instrumentation exported, as text: metric names and attributes, span names, attributes, events, status messages. */
async function exported(): Promise<string> {
  const points = await env.t.points();
  const spans = env.t.spans().map((s) => ({
    name: s.name,
    attributes: s.attributes,
    events: s.events.map((e) => ({ name: e.name, attributes: e.attributes })),
    status: s.status,
    links: s.links,
  }));
  return JSON.stringify({ points: points.map((p) => ({ name: p.name, attributes: p.attributes })), spans });
}

const series = (points: Point[]) => new Set(points.map((p) => `${p.name} ${JSON.stringify(p.attributes)}`));

describe('nothing secret or identifying is exported', () => {
  it('no secret, token, cache key or business id in any metric attribute, span attribute, span event or status', async () => {
    const { clientId, clientSecret } = env.h.sandbox.credentials.layer;
    const client = env.h.client({ onEvent: env.t.onEvent });
    const active = env.h.sandbox.businesses.layer.active[0]!;
    const unknown = randomUUID();
    const tokens: string[] = [];
    tokens.push((await client.getToken()).accessToken);
    tokens.push((await client.getBusinessToken(active)).accessToken);
    // Layer answers an unknown business with a 404 naming it (seed: "Business ... not found").
    await expect(client.getBusinessToken(unknown)).rejects.toMatchObject({ code: 'ERR_PROVIDER' });
    // A provider that echoes the credentials and the token it was sent in its error text.
    const echo = JSON.stringify({ error: 'invalid_client', error_description: `bad ${clientSecret} for ${clientId}; token ${tokens[0]}` });
    env.h.sandbox.faults.inject('layer.token', [{ status: 503 }, { status: 400, body: { raw: echo, contentType: 'application/json' } }]);
    await expect(client.getToken({ forceRefresh: true })).rejects.toMatchObject({ code: 'ERR_AUTHENTICATION' });
    tokens.push((await client.getToken({ forceRefresh: true })).accessToken);
    await env.h.client({ onEvent: env.t.onEvent, store: failingStore() }).getBusinessToken(active);

    const keys = [...new Set(env.t.events.flatMap((e) => (e.key === undefined ? [] : [e.key])))];
    const basic = Buffer.from(`${clientId}:${clientSecret}`).toString('base64');
    const canaries = { clientSecret, basic, active, unknown, ...Object.fromEntries(tokens.map((v, i) => [`token${i}`, v])), ...Object.fromEntries(keys.map((k, i) => [`key${i}`, k])) };
    // The instrumentation did see these (so the scan below can fail): keys and business ids were in its input.
    expect(keys.length).toBeGreaterThanOrEqual(3);
    expect(JSON.stringify(env.t.events)).toContain(unknown);

    const text = await exported();
    expect(env.t.spans().length).toBeGreaterThanOrEqual(5);
    expect(text).toContain('ERR_AUTHENTICATION');
    for (const [name, value] of Object.entries(canaries)) {
      expect(value.length, name).toBeGreaterThan(8);
      expect(text.includes(value), `${name} leaked`).toBe(false);
      expect(text.toLowerCase().includes(value.toLowerCase()), `${name} leaked (case-insensitive)`).toBe(false);
    }
    // No provider text either: the only error words exported are error codes.
    expect(text).not.toMatch(/not found|invalid_client|bad /i);
  });
});

describe('bounded cardinality', () => {
  it('1,000 businesses make as many metric series as 10, and two span names', async () => {
    const client = env.h.client({ onEvent: env.t.onEvent });
    const active = env.h.sandbox.businesses.layer.active;
    // The sandbox knows three businesses; the rest are unknown to it and fail with a 404.
    const businesses = [...active, ...Array.from({ length: 1_000 - active.length }, () => randomUUID())];
    const mint = async (ids: string[], batch: number) => {
      for (let i = 0; i < ids.length; i += batch) await Promise.allSettled(ids.slice(i, i + batch).map((id) => client.getBusinessToken(id)));
    };
    // Two batches, so that the first ten already include client-token cache hits as well as misses.
    await mint(businesses.slice(0, 10), 5);
    const after10 = series(await env.t.points());
    await mint(businesses.slice(10), 50);
    const after1000 = series(await env.t.points());
    expect(env.h.sandbox.stats.count('layer.businessToken')).toBe(1_000);
    expect([...after1000].sort()).toEqual([...after10].sort());
    expect(after1000.size).toBeLessThanOrEqual(15);
    const spans = env.t.spans();
    expect(spans).toHaveLength(1_001);
    expect(new Set(spans.map((s) => s.name)).size).toBe(2);
    expect(new Set(spans.map((s) => s.attributes['url.full'])).size).toBe(2);
  });
});
