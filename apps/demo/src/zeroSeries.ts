import type { Attributes, Counter, Meter, MeterProvider, ObservableCounter, ObservableResult, UpDownCounter } from '@opentelemetry/api';
import {
  METRIC_CACHE_LOOKUPS,
  METRIC_REFRESHES_ACTIVE,
  METRIC_STORE_ERRORS,
  METRIC_STORE_HITS,
  METRIC_STORE_WAITS,
  METRIC_TOKEN_REQUESTS,
} from '@fintoken/otel';

// The attribute values @fintoken/otel documents as closed sets (its README, "Metrics").
const REASONS = ['miss', 'expired', 'refresh-ahead', 'forced'];
const STORE_OPERATIONS = ['get', 'set', 'lock', 'release', 'wait'];

/** Every series a counter has at zero, per provider. Series keyed by an error type or a histogram's first observation come when they happen. */
function seriesOf(name: string, provider: string): Attributes[] {
  const p = { 'fintoken.provider': provider };
  switch (name) {
    case METRIC_TOKEN_REQUESTS:
      return REASONS.map((reason) => ({ ...p, 'fintoken.reason': reason, 'fintoken.outcome': 'success' }));
    case METRIC_STORE_WAITS:
      return REASONS.map((reason) => ({ ...p, 'fintoken.reason': reason }));
    case METRIC_STORE_ERRORS:
      return STORE_OPERATIONS.map((operation) => ({ ...p, 'fintoken.store.operation': operation }));
    case METRIC_CACHE_LOOKUPS:
      return ['hit', 'miss'].map((result) => ({ ...p, 'fintoken.cache.result': result }));
    case METRIC_REFRESHES_ACTIVE:
    case METRIC_STORE_HITS:
      return [p];
    default:
      return [];
  }
}

const keyOf = (attributes: Attributes) => JSON.stringify(Object.entries(attributes).sort(([a], [b]) => a.localeCompare(b)));

/**
 * A MeterProvider for `createOtelInstrumentation` that makes every counter series exist at zero
 * from the first scrape, so Prometheus's `rate()` and `increase()` see a token request's first
 * increment instead of a series appearing from nothing. It only watches which instruments
 * @fintoken/otel creates (by their exported names, through the public Meter API) and adds 0 to
 * each documented series: no second registration, no copy of a description or unit.
 * `prime(onEvent)` makes the instrumentation create its instruments now, with an event it records
 * nothing for.
 */
export function withZeroSeries(provider: MeterProvider, providers: readonly string[]): { meterProvider: MeterProvider; prime(onEvent: (event: never) => void): void } {
  const counters = new Map<string, Counter | UpDownCounter>();
  const zeros = (name: string) => providers.flatMap((p) => seriesOf(name, p));
  const wrap = (meter: Meter): Meter =>
    Object.assign(Object.create(meter) as Meter, {
      createCounter: (name: string, options?: object) => remember(name, meter.createCounter(name, options)),
      createUpDownCounter: (name: string, options?: object) => remember(name, meter.createUpDownCounter(name, options)),
      createObservableCounter(name: string, options?: object): ObservableCounter {
        const observable = meter.createObservableCounter(name, options);
        return Object.assign(Object.create(observable) as ObservableCounter, {
          addCallback(callback: (result: ObservableResult) => void) {
            observable.addCallback((result) => {
              const seen = new Set<string>();
              callback({
                observe(value: number, attributes: Attributes = {}) {
                  seen.add(keyOf(attributes));
                  result.observe(value, attributes);
                },
              });
              for (const attributes of zeros(name)) if (!seen.has(keyOf(attributes))) result.observe(0, attributes);
            });
          },
        });
      },
    });
  const remember = <T extends Counter | UpDownCounter>(name: string, counter: T): T => {
    if (!counters.has(name)) {
      counters.set(name, counter);
      for (const attributes of zeros(name)) counter.add(0, attributes);
    }
    return counter;
  };
  return {
    meterProvider: { getMeter: (...args: Parameters<MeterProvider['getMeter']>) => wrap(provider.getMeter(...args)) },
    prime(onEvent) {
      // token.expiry_adjusted: @fintoken/otel records nothing for it, but resolves its instruments.
      onEvent({ type: 'token.expiry_adjusted', key: '' } as never);
    },
  };
}
