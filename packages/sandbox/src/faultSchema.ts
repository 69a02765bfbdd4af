import type { Fault, FaultBody } from './types.js';

const keys = new Set(['times', 'probability', 'latencyMs', 'status', 'retryAfter', 'body', 'hang', 'drop', 'slowBodyMs']);
const bodyKinds = new Set(['malformed-json', 'html', 'missing-access-token', 'not-a-jwt']);

const isNonNegative = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new TypeError(`Invalid fault: ${message}`);
}

function checkBody(body: unknown): asserts body is FaultBody {
  if (typeof body === 'string') {
    check(bodyKinds.has(body), `body must be one of ${[...bodyKinds].join(', ')} or { raw }`);
    return;
  }
  check(typeof body === 'object' && body !== null, 'body must be a string or { raw, contentType? }');
  const { raw, contentType } = body as { raw?: unknown; contentType?: unknown };
  check(typeof raw === 'string', 'body.raw must be a string');
  check(contentType === undefined || typeof contentType === 'string', 'body.contentType must be a string');
}

/**
 * Validates a fault given in code or as admin JSON, so a typo (`latency` for `latencyMs`) fails
 * loudly instead of silently injecting nothing. Returns a copy.
 */
export function validateFault(input: unknown): Fault {
  check(typeof input === 'object' && input !== null && !Array.isArray(input), 'expected an object');
  const fault = input as Record<string, unknown>;
  for (const key of Object.keys(fault)) check(keys.has(key), `unknown field "${key}"`);
  const { times, probability, latencyMs, status, retryAfter, body, hang, drop, slowBodyMs } = fault;
  check(
    times === undefined || times === Number.POSITIVE_INFINITY || (Number.isSafeInteger(times) && (times as number) > 0),
    'times must be a positive integer or Infinity',
  );
  check(probability === undefined || (isNonNegative(probability) && probability <= 1), 'probability must be within 0..1');
  check(
    latencyMs === undefined ||
      isNonNegative(latencyMs) ||
      (Array.isArray(latencyMs) &&
        latencyMs.length === 2 &&
        isNonNegative(latencyMs[0]) &&
        isNonNegative(latencyMs[1]) &&
        latencyMs[0] <= latencyMs[1]),
    'latencyMs must be a non-negative number or [min, max]',
  );
  check(status === undefined || (Number.isInteger(status) && (status as number) >= 200 && (status as number) <= 599), 'status must be an integer in 200..599');
  check(
    retryAfter === undefined || isNonNegative(retryAfter) || (typeof retryAfter === 'string' && retryAfter !== ''),
    'retryAfter must be seconds or an HTTP-date',
  );
  if (body !== undefined) checkBody(body);
  check(hang === undefined || typeof hang === 'boolean', 'hang must be a boolean');
  check(drop === undefined || typeof drop === 'boolean', 'drop must be a boolean');
  check(slowBodyMs === undefined || isNonNegative(slowBodyMs), 'slowBodyMs must be a non-negative number');
  return { ...(fault as Fault) };
}
