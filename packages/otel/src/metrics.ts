import type { Counter, Histogram, Meter, UpDownCounter } from '@opentelemetry/api';
import { createLookupCounter } from './lookups.js';

/** Metric names, one place: the README's table and the tests read the same strings. */
export const METRIC_TOKEN_REQUESTS = 'fintoken.token.requests';
export const METRIC_TOKEN_REQUEST_DURATION = 'fintoken.token.request.duration';
export const METRIC_TOKEN_RETRIES = 'fintoken.token.retries';
export const METRIC_TOKEN_REMAINING = 'fintoken.token.remaining';
export const METRIC_REFRESHES_ACTIVE = 'fintoken.token.refreshes.active';
export const METRIC_CACHE_LOOKUPS = 'fintoken.cache.lookups';
export const METRIC_STORE_HITS = 'fintoken.store.hits';
export const METRIC_STORE_WAITS = 'fintoken.store.waits';
export const METRIC_STORE_ERRORS = 'fintoken.store.errors';

export interface Instruments {
  /** Count one in-memory cache lookup (hot path: no SDK call). */
  lookup: (provider: string, hit: boolean) => void;
  requests: Counter;
  duration: Histogram;
  retries: Counter;
  remaining: Histogram;
  active: UpDownCounter;
  storeHits: Counter;
  storeWaits: Counter;
  storeErrors: Counter;
}

// A token request takes tens of milliseconds when healthy and up to the retry deadline (30 s by
// default) when not; the SDK's default buckets are in milliseconds-sized steps, wrong for seconds.
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
// Token lifetimes run from Layer1's 5 minutes to Thredfi's 24 hours (seeds); refresh-ahead
// happens in the last minutes, so the low end is finer.
const REMAINING_BUCKETS = [0, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 86400];

type Kind = 'counter' | 'histogram' | 'updown';

/** What each instrument is, once: created from this table. */
const DEFINITIONS: Record<Exclude<keyof Instruments, 'lookup'>, [name: string, kind: Kind, unit: string, description: string, buckets?: number[]]> = {
  requests: [METRIC_TOKEN_REQUESTS, 'counter', '{request}', 'Token loads that went to the provider, by reason and outcome'],
  duration: [METRIC_TOKEN_REQUEST_DURATION, 'histogram', 's', 'Duration of token loads that went to the provider, retries included', DURATION_BUCKETS],
  retries: [METRIC_TOKEN_RETRIES, 'counter', '{retry}', 'Retries of token endpoint calls, by the error that caused them'],
  remaining: [METRIC_TOKEN_REMAINING, 'histogram', 's', 'Seconds of validity left on each token handed to a caller', REMAINING_BUCKETS],
  active: [METRIC_REFRESHES_ACTIVE, 'updown', '{request}', 'Token loads in flight (one per cache key, however many callers wait on it)'],
  storeHits: [METRIC_STORE_HITS, 'counter', '{request}', 'Token loads answered from the shared store (another instance fetched the token)'],
  storeWaits: [METRIC_STORE_WAITS, 'counter', '{wait}', "Token loads that waited for another instance's refresh through the shared store"],
  storeErrors: [METRIC_STORE_ERRORS, 'counter', '{error}', 'Shared-store operations that failed (each falls back to the provider)'],
};

export function createInstruments(meter: Meter): Instruments {
  const create = ([name, kind, unit, description, buckets]: (typeof DEFINITIONS)[keyof typeof DEFINITIONS]) => {
    if (kind === 'histogram') return meter.createHistogram(name, { unit, description, advice: { explicitBucketBoundaries: buckets ?? [] } });
    return kind === 'updown' ? meter.createUpDownCounter(name, { unit, description }) : meter.createCounter(name, { unit, description });
  };
  const synchronous = Object.fromEntries(Object.entries(DEFINITIONS).map(([field, definition]) => [field, create(definition)]));
  const lookup = createLookupCounter(meter, METRIC_CACHE_LOOKUPS, 'In-memory cache lookups, by result (hit or miss)');
  return { ...synchronous, lookup } as unknown as Instruments;
}
