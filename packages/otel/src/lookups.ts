import type { Meter } from '@opentelemetry/api';
import { ATTR_CACHE_RESULT, ATTR_PROVIDER } from './attributes.js';

/**
 * Cache lookups happen on every `getToken`, the hot path: a synchronous SDK `add()` there costs
 * microseconds (attribute hashing) against a sub-microsecond cache hit. So hits and misses are
 * plain increments, reported when the SDK collects, through an observable counter (same metric,
 * same cumulative semantics).
 */
export function createLookupCounter(meter: Meter, name: string, description: string): (provider: string, hit: boolean) => void {
  const counts = new Map<string, { hit: number; miss: number }>();
  meter.createObservableCounter(name, { description, unit: '{lookup}' }).addCallback((result) => {
    for (const [provider, count] of counts) {
      if (count.hit > 0) result.observe(count.hit, { [ATTR_PROVIDER]: provider, [ATTR_CACHE_RESULT]: 'hit' });
      if (count.miss > 0) result.observe(count.miss, { [ATTR_PROVIDER]: provider, [ATTR_CACHE_RESULT]: 'miss' });
    }
  });
  return (provider, hit) => {
    let count = counts.get(provider);
    if (count === undefined) counts.set(provider, (count = { hit: 0, miss: 0 }));
    if (hit) count.hit += 1;
    else count.miss += 1;
  };
}
