import type { Reply } from './http.js';

/**
 * CORS for the API routes a browser calls directly. Layer's own React components
 * (`@layerfi/components`) call `{apiUrl}/v1/...` from the page with an Authorization header, so
 * the real API answers CORS preflights; the emulator does too (Fetch standard, "CORS protocol").
 * No cookies are involved (the credential is the Bearer), so `*` is a safe allowed origin.
 */
const allowed = {
  'Access-Control-Allow-Origin': '*',
  // Authorization is never covered by a wildcard (Fetch standard), so the headers are listed.
  'Access-Control-Allow-Headers': 'Authorization, Content-Type, Cache-Control, Layer-Locale, Layer-React-Version',
  'Access-Control-Allow-Methods': 'GET, OPTIONS',
  'Access-Control-Max-Age': '600',
};

/** The answer to a preflight (OPTIONS) request for a CORS route. */
export const corsPreflight: Reply = { status: 204, headers: allowed };

/** Lets the page read a reply, errors included (a 401 must reach the component as a 401). */
export function withCors(reply: Reply): Reply {
  return { ...reply, headers: { ...reply.headers, 'Access-Control-Allow-Origin': '*' } };
}
