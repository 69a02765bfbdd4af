import { context, SpanKind, SpanStatusCode, type Attributes, type Tracer } from '@opentelemetry/api';
import type { FintokenEvent } from '@fintoken/core';
import { ATTR_ERROR_TYPE, ATTR_PROVIDER, errorTypeOf, providerOf } from './attributes.js';
import { endpointTarget } from './url.js';

/**
 * One CLIENT span per token endpoint call, retries included (HTTP client semantic conventions).
 * Core reports the call when it ends, with its duration, so the span is recorded with its real
 * start time. The parent is the active context at that moment: the call runs in the async
 * context of the first caller of a single-flight load, so with an AsyncLocalStorage context
 * manager that is that caller's span.
 */
export function recordEndpointSpan(tracer: Tracer, event: FintokenEvent): void {
  const endTime = Date.now();
  const duration = event.durationMs !== undefined && Number.isFinite(event.durationMs) ? Math.max(0, event.durationMs) : 0;
  const method = event.method ?? 'POST';
  const target = event.url === undefined ? undefined : endpointTarget(event.url, event.businessId);
  const attributes: Attributes = { 'http.request.method': method, [ATTR_PROVIDER]: providerOf(event) };
  if (target !== undefined) {
    attributes['url.full'] = target.full;
    attributes['url.template'] = target.template;
    attributes['server.address'] = target.address;
    attributes['server.port'] = target.port;
  }
  if (event.status !== undefined) attributes['http.response.status_code'] = event.status;
  if (event.attempts !== undefined) attributes['http.request.resend_count'] = Math.max(0, event.attempts - 1);
  if (event.error !== undefined) attributes[ATTR_ERROR_TYPE] = errorTypeOf(event.error);
  const span = tracer.startSpan(
    target === undefined ? method : `${method} ${target.template}`,
    { kind: SpanKind.CLIENT, startTime: endTime - duration, attributes },
    context.active(),
  );
  // The typed error's code only: its message may quote the provider's error body.
  if (event.error !== undefined) span.setStatus({ code: SpanStatusCode.ERROR, message: errorTypeOf(event.error) });
  span.end(endTime);
}
