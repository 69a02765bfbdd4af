import type { RequestHandler } from 'express';

// Loopback names and addresses (RFC 6761 §6.3 `localhost`, 127.0.0.0/8, ::1): a Host a DNS
// rebinding page cannot send, since its requests carry its own name (attacker.example).
const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

/**
 * Answer only requests addressed to this machine's loopback names, or to `host` (the interface
 * the server was told to listen on, when it is a name or address rather than a wildcard).
 *
 * DNS rebinding: a page on attacker.example re-resolves its own name to 127.0.0.1 and then calls
 * "its" origin, which is this server; the browser treats those requests as same-origin (cookies
 * aside), so no CORS or Fetch Metadata check stops them. Only the `Host` header still says
 * attacker.example, so anything else gets a 403 before any route (page, sign-in, token, metrics).
 */
export function loopbackHostsOnly(host?: string): RequestHandler {
  const configured = host === undefined || host === '0.0.0.0' || host === '::' ? undefined : hostnameOf(host.includes(':') && !host.startsWith('[') ? `[${host}]` : host);
  return (req, res, next) => {
    const name = hostnameOf(req.headers.host ?? '');
    if (name !== undefined && (LOOPBACK.test(name) || name === configured)) return next();
    res.status(403).set('Cache-Control', 'no-store').json({ error: { code: 'host_not_allowed', message: 'This server answers only to its own host name' } });
  };
}

/** The lowercased host name of a Host header (port dropped), or undefined if it is not one. */
function hostnameOf(value: string): string | undefined {
  try {
    const url = new URL(`http://${value}`);
    // Userinfo, a path or a query smuggled into Host: not a host name.
    return url.host === value.toLowerCase() || url.host === value.toLowerCase().replace(/:80$/, '') ? url.hostname : undefined;
  } catch {
    return undefined;
  }
}
