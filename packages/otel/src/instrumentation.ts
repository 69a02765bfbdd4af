import { metrics, trace, type Attributes, type MeterProvider, type Tracer, type TracerProvider } from '@opentelemetry/api';
import type { EventListener, FintokenEvent } from '@fintoken/core';
import {
  ATTR_ERROR_TYPE,
  ATTR_OUTCOME,
  ATTR_PROVIDER,
  ATTR_REASON,
  ATTR_STORE_OPERATION,
  errorTypeOf,
  providerOf,
  reasonOf,
  storeOperationOf,
} from './attributes.js';
import { createInstruments, type Instruments } from './metrics.js';
import { recordEndpointSpan } from './spans.js';

export interface OtelInstrumentationOptions {
  /** Where metrics go. Default: the global provider (`metrics.getMeterProvider()`) at the first event. */
  meterProvider?: MeterProvider;
  /** Where spans go. Default: the global provider (`trace.getTracerProvider()`). */
  tracerProvider?: TracerProvider;
  /** The clock the clients use (their `now` option), to tell how long a served token has left. Default `Date.now`. */
  now?: () => number;
}

export interface OtelInstrumentation {
  /** Pass as a client's `onEvent` option (or call it from your own listener). */
  readonly onEvent: EventListener;
}

const SCOPE = '@fintoken/otel';

/**
 * Turns fintoken's client events into OpenTelemetry metrics and client spans, through
 * `@opentelemetry/api` only. One instrumentation serves any number of clients:
 *
 * @example
 * const otel = createOtelInstrumentation();
 * const layer = createLayerClient({ clientId, clientSecret, environment: 'sandbox', ...otel });
 */
export function createOtelInstrumentation(options: OtelInstrumentationOptions = {}): OtelInstrumentation {
  const now = options.now ?? Date.now;
  // Resolved at the first event, so an SDK registered globally after this call is still used.
  let instruments: Instruments | undefined;
  let tracer: Tracer | undefined;
  const meter = () => (instruments ??= createInstruments((options.meterProvider ?? metrics.getMeterProvider()).getMeter(SCOPE)));
  const spans = () => (tracer ??= (options.tracerProvider ?? trace.getTracerProvider()).getTracer(SCOPE));

  // One attribute object per provider, reused: the hot path (cache hits) allocates nothing.
  const byProvider = new Map<string, Attributes>();
  const providerAttributes = (provider: string): Attributes => {
    let attributes = byProvider.get(provider);
    if (attributes === undefined) byProvider.set(provider, (attributes = { [ATTR_PROVIDER]: provider }));
    return attributes;
  };
  const served = (m: Instruments, event: FintokenEvent, attributes: Attributes) => {
    if (event.expiresAt !== undefined) m.remaining.record(Math.max(0, (event.expiresAt - now()) / 1000), attributes);
  };

  const onEvent: EventListener = (event) => {
    const m = meter();
    const provider = providerAttributes(providerOf(event));
    switch (event.type) {
      case 'cache.hit':
        if (event.reason === 'shared-store') {
          // The end of a load another instance fetched for us.
          m.storeHits.add(1, provider);
          m.active.add(-1, provider);
        } else {
          m.lookup(providerOf(event), true);
        }
        served(m, event, provider);
        return;
      case 'cache.miss':
        m.lookup(providerOf(event), false);
        return;
      case 'token.requested':
        m.active.add(1, provider);
        return;
      case 'token.fetched':
      case 'token.refreshed':
      case 'token.failed': {
        m.active.add(-1, provider);
        const failed = event.type === 'token.failed';
        const attributes: Attributes = { ...provider, [ATTR_REASON]: reasonOf(event), [ATTR_OUTCOME]: failed ? 'failure' : 'success' };
        if (failed) attributes[ATTR_ERROR_TYPE] = errorTypeOf(event.error);
        m.requests.add(1, attributes);
        if (event.durationMs !== undefined) m.duration.record(Math.max(0, event.durationMs) / 1000, attributes);
        if (!failed) served(m, event, provider);
        return;
      }
      case 'retry.scheduled':
        m.retries.add(1, { ...provider, [ATTR_ERROR_TYPE]: errorTypeOf(event.error) });
        return;
      case 'store.wait':
        m.storeWaits.add(1, { ...provider, [ATTR_REASON]: reasonOf(event) });
        return;
      case 'store.error':
        m.storeErrors.add(1, { ...provider, [ATTR_STORE_OPERATION]: storeOperationOf(event) });
        return;
      case 'endpoint.called':
        recordEndpointSpan(spans(), event);
        return;
      default:
      // token.expiry_adjusted and events added later: nothing to record.
    }
  };
  return { onEvent };
}
