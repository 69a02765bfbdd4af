export { createOtelInstrumentation } from './instrumentation.js';
export type { OtelInstrumentation, OtelInstrumentationOptions } from './instrumentation.js';
export {
  METRIC_CACHE_LOOKUPS,
  METRIC_REFRESHES_ACTIVE,
  METRIC_STORE_ERRORS,
  METRIC_STORE_HITS,
  METRIC_STORE_WAITS,
  METRIC_TOKEN_REMAINING,
  METRIC_TOKEN_REQUEST_DURATION,
  METRIC_TOKEN_REQUESTS,
  METRIC_TOKEN_RETRIES,
} from './metrics.js';
