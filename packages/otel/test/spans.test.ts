import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useLayerTelemetry } from './harness.js';

const env = useLayerTelemetry();
beforeAll(() => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
});
afterAll(() => context.disable());

describe('spans', () => {
  it('records one client span per token endpoint call, with HTTP client attributes', async () => {
    env.h.sandbox.faults.inject('layer.token', { status: 503, times: 2 });
    const client = env.h.client({ onEvent: env.t.onEvent });
    await client.getToken();
    await client.getToken();
    const spans = env.t.spans();
    expect(spans).toHaveLength(1);
    const [span] = spans;
    const authUrl = new URL(env.h.sandbox.urls.layer.authUrl);
    expect(span!.name).toBe(`POST ${authUrl.pathname}`);
    expect(span!.kind).toBe(SpanKind.CLIENT);
    expect(span!.attributes).toEqual({
      'http.request.method': 'POST',
      'fintoken.provider': 'layer',
      'url.full': `${authUrl.origin}${authUrl.pathname}`,
      'url.template': authUrl.pathname,
      'server.address': authUrl.hostname,
      'server.port': Number(authUrl.port),
      'http.response.status_code': 200,
      'http.request.resend_count': 2,
    });
    expect(span!.status.code).toBe(SpanStatusCode.UNSET);
    // A real duration: the two retries and their backoff are inside the span.
    const [seconds, nanos] = span!.duration;
    expect(seconds * 1e9 + nanos).toBeGreaterThan(0);
  });

  it('records a failed call with the error code, never the provider text', async () => {
    env.h.sandbox.faults.inject('layer.token', { status: 401 });
    const client = env.h.client({ onEvent: env.t.onEvent });
    await expect(client.getToken()).rejects.toMatchObject({ code: 'ERR_AUTHENTICATION' });
    const [span] = env.t.spans();
    expect(span!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'ERR_AUTHENTICATION' });
    expect(span!.attributes['error.type']).toBe('ERR_AUTHENTICATION');
    expect(span!.attributes['http.response.status_code']).toBe(401);
    expect(span!.attributes['http.request.resend_count']).toBe(0);
    expect(span!.events).toEqual([]);
  });

  it('templates the business id out of the URL', async () => {
    const client = env.h.client({ onEvent: env.t.onEvent });
    const businessId = env.h.sandbox.businesses.layer.active[0]!;
    await client.getBusinessToken(businessId);
    const names = env.t.spans().map((s) => s.name);
    expect(names).toContain('POST /layer/v1/businesses/{businessId}/auth-token');
    const business = env.t.spans().find((s) => s.name.includes('{businessId}'))!;
    expect(business.attributes['url.full']).toBe(`${env.h.sandbox.urls.layer.apiUrl}/v1/businesses/{businessId}/auth-token`);
    expect(JSON.stringify(env.t.spans().map((s) => [s.name, s.attributes]))).not.toContain(businessId);
  });

  it("parents the one span of a shared load on the first caller's active span", async () => {
    env.h.sandbox.faults.inject('layer.token', { latencyMs: 100 });
    const client = env.h.client({ onEvent: env.t.onEvent });
    const tracer = env.t.tracerProvider.getTracer('test');
    const caller = (name: string) =>
      tracer.startActiveSpan(name, async (span) => {
        try {
          return await client.getToken();
        } finally {
          span.end();
        }
      });
    const [a, b] = await Promise.all([caller('first caller'), caller('second caller')]);
    expect(b).toBe(a);
    const spans = env.t.spans();
    const first = spans.find((s) => s.name === 'first caller')!;
    const endpoint = spans.filter((s) => s.kind === SpanKind.CLIENT);
    expect(endpoint).toHaveLength(1);
    expect(endpoint[0]!.parentSpanContext?.spanId).toBe(first.spanContext().spanId);
    expect(endpoint[0]!.spanContext().traceId).toBe(first.spanContext().traceId);
  });

  it('starts a root span when the caller has none', async () => {
    const client = env.h.client({ onEvent: env.t.onEvent });
    expect(trace.getActiveSpan()).toBeUndefined();
    await client.getToken();
    expect(env.t.spans()[0]!.parentSpanContext).toBeUndefined();
  });
});
