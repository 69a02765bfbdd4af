import { metrics } from '@opentelemetry/api';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { createOtelInstrumentation } from '../src/index.js';
import { failingStore, lockingStore, useLayerTelemetry, valueOf } from './harness.js';

const env = useLayerTelemetry();

const layer = { 'fintoken.provider': 'layer' };

describe('metrics', () => {
  it('counts a cold fetch, then hits, with the seconds left on every token served', async () => {
    const client = env.h.client({ onEvent: env.t.onEvent });
    await client.getToken();
    await client.getToken();
    await client.getToken();
    const points = await env.t.points();
    expect(env.h.sandbox.stats.count('layer.token')).toBe(1);
    expect(valueOf(points, 'fintoken.token.requests', { ...layer, 'fintoken.reason': 'miss', 'fintoken.outcome': 'success' })).toBe(1);
    expect(valueOf(points, 'fintoken.cache.lookups', { ...layer, 'fintoken.cache.result': 'miss' })).toBe(1);
    expect(valueOf(points, 'fintoken.cache.lookups', { ...layer, 'fintoken.cache.result': 'hit' })).toBe(2);
    expect(valueOf(points, 'fintoken.token.refreshes.active', layer)).toBe(0);
    const duration = valueOf(points, 'fintoken.token.request.duration', { ...layer, 'fintoken.outcome': 'success' }) as { count: number; sum: number };
    expect(duration.count).toBe(1);
    expect(duration.sum).toBeGreaterThan(0);
    expect(duration.sum).toBeLessThan(30);
    // One fetched token, then two hits: three tokens handed out, each with about an hour left (sandbox TTL 3,600 s).
    const remaining = valueOf(points, 'fintoken.token.remaining', layer) as { count: number; min: number; max: number };
    expect(remaining.count).toBe(3);
    expect(remaining.min).toBeGreaterThan(3000);
    expect(remaining.max).toBeLessThanOrEqual(3600);
  });

  it('tells a forced refresh from a miss', async () => {
    const client = env.h.client({ onEvent: env.t.onEvent });
    await client.getToken();
    await client.getToken({ forceRefresh: true });
    const points = await env.t.points();
    expect(valueOf(points, 'fintoken.token.requests', { ...layer, 'fintoken.reason': 'forced', 'fintoken.outcome': 'success' })).toBe(1);
    expect(valueOf(points, 'fintoken.token.requests', { ...layer, 'fintoken.reason': 'miss' })).toBe(1);
  });

  it('counts retries by error type and a failure by its error code', async () => {
    env.h.sandbox.faults.inject('layer.token', { status: 503, times: 2 });
    const client = env.h.client({ onEvent: env.t.onEvent });
    await client.getToken();
    env.h.sandbox.faults.inject('layer.token', { status: 401 });
    await expect(client.getToken({ forceRefresh: true })).rejects.toMatchObject({ code: 'ERR_AUTHENTICATION' });
    const points = await env.t.points();
    expect(env.h.sandbox.stats.count('layer.token')).toBe(4);
    expect(valueOf(points, 'fintoken.token.retries', { ...layer, 'error.type': 'ERR_PROVIDER' })).toBe(2);
    expect(valueOf(points, 'fintoken.token.requests', { 'fintoken.outcome': 'success' })).toBe(1);
    expect(valueOf(points, 'fintoken.token.requests', { 'fintoken.reason': 'forced', 'fintoken.outcome': 'failure', 'error.type': 'ERR_AUTHENTICATION' })).toBe(1);
    expect((valueOf(points, 'fintoken.token.request.duration', { 'fintoken.outcome': 'failure' }) as { count: number }).count).toBe(1);
    expect(valueOf(points, 'fintoken.token.refreshes.active', layer)).toBe(0);
  });

  it('counts refreshes in flight while a load is under way', async () => {
    env.h.sandbox.faults.inject('layer.token', { latencyMs: 300 });
    const client = env.h.client({ onEvent: env.t.onEvent });
    const pending = Promise.all([client.getToken(), client.getToken(), client.getToken()]);
    await expect.poll(async () => valueOf(await env.t.points(), 'fintoken.token.refreshes.active', layer)).toBe(1);
    await pending;
    expect(valueOf(await env.t.points(), 'fintoken.token.refreshes.active', layer)).toBe(0);
  });

  it('counts shared-store waits and the tokens another instance fetched', async () => {
    env.h.sandbox.faults.inject('layer.token', { latencyMs: 300 });
    const store = lockingStore();
    const first = env.h.client({ onEvent: env.t.onEvent, store });
    const second = env.h.client({ onEvent: env.t.onEvent, store });
    const fetching = first.getToken();
    // The first instance holds the lock before the second asks.
    await expect.poll(() => env.h.sandbox.stats.count('layer.token')).toBe(1);
    const [a, b] = await Promise.all([fetching, second.getToken()]);
    expect(b.accessToken).toBe(a.accessToken);
    const points = await env.t.points();
    expect(env.h.sandbox.stats.count('layer.token')).toBe(1);
    expect(valueOf(points, 'fintoken.store.waits', { ...layer, 'fintoken.reason': 'miss' })).toBe(1);
    expect(valueOf(points, 'fintoken.store.hits', layer)).toBe(1);
    expect(valueOf(points, 'fintoken.token.requests', layer)).toBe(1);
    expect(valueOf(points, 'fintoken.token.refreshes.active', layer)).toBe(0);
  });

  it('counts shared-store errors by operation and still delivers the token', async () => {
    const client = env.h.client({ onEvent: env.t.onEvent, store: failingStore() });
    await client.getToken();
    const points = await env.t.points();
    expect(valueOf(points, 'fintoken.store.errors', { ...layer, 'fintoken.store.operation': 'get' })).toBeGreaterThanOrEqual(1);
    expect(valueOf(points, 'fintoken.store.errors', { ...layer, 'fintoken.store.operation': 'lock' })).toBe(1);
    expect(valueOf(points, 'fintoken.store.errors', { ...layer, 'fintoken.store.operation': 'set' })).toBe(1);
    expect(valueOf(points, 'fintoken.token.requests', { ...layer, 'fintoken.outcome': 'success' })).toBe(1);
  });

  it('uses the global meter provider even when registered after the instrumentation was created', async () => {
    const otel = createOtelInstrumentation();
    const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
    const meterProvider = new MeterProvider({ readers: [reader] });
    metrics.setGlobalMeterProvider(meterProvider);
    try {
      await env.h.client({ onEvent: otel.onEvent }).getToken();
      await reader.forceFlush();
      const names = exporter.getMetrics().at(-1)?.scopeMetrics.flatMap((s) => s.metrics.map((m) => m.descriptor.name));
      expect(names).toContain('fintoken.token.requests');
    } finally {
      metrics.disable();
      await meterProvider.shutdown();
    }
  });
});
