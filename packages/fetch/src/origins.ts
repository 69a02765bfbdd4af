import { ConfigurationError, InvalidRequestError } from '@fintoken/core/cache';

/**
 * Where `authFetch` may send its Bearer token: the page's own origin (`location.origin`, when the
 * runtime has a `location`) and each of `origins`. Anything else would hand the token to whoever
 * controls that URL (a `next` link in an API answer, a user-supplied URL), and a 401 from there
 * would trigger a token request, so it is refused before anything is sent: no token on the wire,
 * no token request, no refresh.
 *
 * Each of `origins` must be an origin and nothing more (no path, query or user info: its `href`
 * is the origin plus `/`), so a list cannot look narrower than what it allows. Checked once, here.
 */
export function createOriginCheck(origins: readonly string[] = []): (input: RequestInfo | URL) => void {
  const allowed = origins.map((entry, index) => {
    try {
      const { href, origin } = new URL(entry);
      if (href === `${origin}/`) return origin;
    } catch {
      // not a URL: refused below
    }
    throw new ConfigurationError(`createAuthFetch needs origins[${index}] to be an origin (https://host[:port])`);
  });
  return (input) => {
    const page = (globalThis as { location?: { href: string; origin: string } }).location;
    if (!page && !allowed[0]) throw new ConfigurationError('createAuthFetch needs origins where there is no location');
    // Relative URLs resolve against the page, as fetch resolves them (WHATWG Fetch §5.3); an
    // invalid URL throws fetch's own TypeError.
    const { origin } = new URL(input instanceof Request ? input.url : String(input), page?.href);
    if (origin !== page?.origin && !allowed.includes(origin)) {
      throw new InvalidRequestError(`authFetch: ${origin} is not in origins, no token sent`);
    }
  };
}
