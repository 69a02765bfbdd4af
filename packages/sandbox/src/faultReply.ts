import type { Reply } from './http.js';
import type { ErrorShape } from './router.js';
import type { Fault } from './types.js';

const malformedJson = '{"access_token":"eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOi","expires_in":36';
const html =
  '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>' +
  '<body><h1>502 Bad Gateway</h1><p>The upstream server returned an invalid response.</p></body></html>';
const opaqueToken = 'sandbox-opaque-token-that-is-not-a-jwt';

export function drawLatency(latencyMs: Fault['latencyMs'], random: () => number): number {
  if (latencyMs === undefined) return 0;
  if (typeof latencyMs === 'number') return latencyMs;
  const [min, max] = latencyMs;
  return min + random() * (max - min);
}

function withRetryAfter(reply: Reply, fault: Fault): Reply {
  if (fault.retryAfter === undefined) return reply;
  return { ...reply, headers: { ...reply.headers, 'Retry-After': String(fault.retryAfter) } };
}

/**
 * The reply a fault substitutes for normal handling: a raw malformed body, or the provider's
 * documented error body for an injected status. undefined when the endpoint should run.
 */
export function faultReply(fault: Fault, error: ErrorShape): Reply | undefined {
  const { body, status } = fault;
  let reply: Reply | undefined;
  if (body === 'malformed-json') reply = { status: status ?? 200, raw: malformedJson };
  else if (body === 'html') reply = { status: status ?? 200, raw: html, contentType: 'text/html; charset=utf-8' };
  else if (typeof body === 'object') reply = { status: status ?? 200, raw: body.raw, contentType: body.contentType };
  else if (body === undefined && status !== undefined) reply = error(status, `Injected fault: HTTP ${status}`);
  return reply && withRetryAfter(reply, fault);
}

/** Alters a normally handled reply: drop or replace its access_token, override its status. */
export function alterReply(reply: Reply, fault: Fault): Reply {
  let altered = reply;
  const json = reply.json;
  if ((fault.body === 'missing-access-token' || fault.body === 'not-a-jwt') && typeof json === 'object' && json !== null && 'access_token' in json) {
    const { access_token: _dropped, ...rest } = json as Record<string, unknown>;
    altered = { ...reply, json: fault.body === 'not-a-jwt' ? { access_token: opaqueToken, ...rest } : rest };
  }
  if (fault.status !== undefined) altered = { ...altered, status: fault.status };
  return withRetryAfter(altered, fault);
}
