/**
 * Cross-site refusal for the token endpoint. The endpoint mints with the user's cookies, so a
 * request that another site's page makes the browser send (a `no-cors` fetch, a `<form>`
 * POSTing `text/plain`, an `<img>` GET) must not reach `authorize`, let alone the provider: it
 * could not read the token, but it could make the server mint and burn the user's rate limit.
 *
 * 1. Fetch Metadata (W3C Fetch Metadata Request Headers §2.1): every current browser sends
 *    `Sec-Fetch-Site` and pages cannot set it (a forbidden request header, Fetch §2.2.2).
 *    `same-origin` (the app's own page) and `none` (typed in the address bar, a bookmark) pass;
 *    `same-site` (a sibling subdomain) and `cross-site` pass only from an `allowedOrigins` page.
 * 2. Without it (older browsers), the `Origin` header (RFC 6454 §7; Fetch §3.1 sends it on every
 *    POST): the request's own origin or an `allowedOrigins` entry passes, anything else fails,
 *    `null` (sandboxed frames, some redirects, privacy modes) included.
 * 3. Neither header: not a browser's request (curl, a server, a test), so not a forged one: it
 *    carries no victim's cookies but the ones its sender already has.
 */

import type { EndpointAdapter } from './endpoint.js';

const SITE_HEADER = 'sec-fetch-site';
const ORIGIN_HEADER = 'origin';

/** `https://app.example.com` from an `allowedOrigins` entry, or undefined when it is not an http(s) origin. */
export function originOf(entry: unknown): string | undefined {
  if (typeof entry !== 'string' || entry !== entry.trim() || /[?#\\]/.test(entry)) return undefined;
  let url: URL;
  try {
    url = new URL(entry);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  // An origin has no path (a lone trailing slash is tolerated), no credentials, no query.
  if (url.pathname !== '/' || url.username !== '' || url.password !== '') return undefined;
  return url.origin;
}

/** Construction check for `allowedOrigins`: names the bad entry by its index, never its value. */
export function checkAllowedOrigins(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) return 'must be an array of origins such as https://www.example.com';
  for (let i = 0; i < value.length; i++) {
    if (originOf(value[i]) === undefined) {
      return `entry ${i} must be an absolute http(s) origin such as https://www.example.com (scheme, host and port only: no path, query, credentials or wildcard)`;
    }
  }
  return undefined;
}

/**
 * `(req) => true` when the request may go on. Precomputed per endpoint: the allowed origins are
 * normalised once (lower-case host, default port dropped, as browsers serialise `Origin`), so a
 * request costs one or two header reads and a Set lookup; the request's own origin is built only
 * for a browser that sent `Origin` without `Sec-Fetch-Site`.
 */
export function createSiteCheck<R>(allowedOrigins: readonly string[] | undefined, adapter: EndpointAdapter<R>): (req: R) => boolean {
  const allowed = new Set((allowedOrigins ?? []).map((entry) => originOf(entry) as string));
  return (req) => {
    const site = adapter.header(req, SITE_HEADER);
    if (site === 'same-origin' || site === 'none') return true;
    const origin = adapter.header(req, ORIGIN_HEADER);
    // `same-site`, `cross-site` (or a value no browser sends): only from a page the app names.
    if (site !== undefined) return origin !== undefined && allowed.has(origin);
    if (origin === undefined) return true;
    return allowed.has(origin) || origin === adapter.origin(req);
  };
}
