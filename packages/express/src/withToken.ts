import { authorizedFetch, createRedactor, InvalidRequestError, isLoopbackHost, type AuthorizedFetch, type Token, type TokenClient, type TokenRequest } from '@fintoken/core';
import type { Request, RequestHandler } from 'express';
import { checkOptions, optionalFn, tokenClient } from './validate.js';

/** What `withToken` puts on `req.fintoken`. */
export interface FintokenRequestContext {
  /** The token for this request's token request (util.inspect/JSON show it redacted). */
  token: Token;
  /**
   * An authorized `fetch` to the provider API, bound to the same token request: the right Bearer,
   * and on a 401 one refresh and one retry. Paths resolve against the client's API URL.
   */
  fetch: AuthorizedFetch;
}

// Augment the global `Express.Request` interface that both @types/express 4 and 5 merge into
// their Request (the pattern passport and express-session use). It needs no import of Express's
// types, so it resolves whichever major version the application has installed.
declare global {
  namespace Express {
    interface Request {
      /** Set by `withToken()` from @fintoken/express. */
      fintoken?: FintokenRequestContext;
    }
  }
}

export interface WithTokenOptions {
  client: TokenClient;
  /**
   * Which token this request needs, e.g. `(req) => ({ businessId: req.session.businessId })`.
   * Default (or when it returns undefined): the client's own token. A result whose `businessId`
   * is present but empty or undefined is refused (`InvalidRequestError`, a 500 through
   * `errorHandler`) rather than served with the client's unscoped token.
   */
  request?: (req: Request) => TokenRequest | undefined | Promise<TokenRequest | undefined>;
  /**
   * For a client without its own `fetch` (a plain `TokenClient`): the API origin (plus path
   * prefix) that `req.fintoken.fetch` may send the token to. Without it that fetch refuses to
   * send, so a token never goes to a host nobody configured. Provider clients ignore it.
   */
  apiUrl?: string;
}

type FetchingClient = TokenClient & { fetch: AuthorizedFetch };

/**
 * Middleware that gets a token before your route runs and puts `{ token, fetch }` on
 * `req.fintoken` for server-side calls to the provider. A failure goes to `next(err)`; mount
 * `errorHandler()` to turn it into a JSON error.
 *
 * @example
 * app.get('/api/business', withToken({ client: layer, request: (req) => ({ businessId: req.session.businessId }) }),
 *   async (req, res, next) => {
 *     try {
 *       const upstream = await req.fintoken!.fetch(`/v1/businesses/${req.session.businessId}`);
 *       res.status(upstream.status).json(await upstream.json());
 *     } catch (error) { next(error); }
 *   }, errorHandler());
 */
export function withToken(options: WithTokenOptions): RequestHandler {
  checkOptions('withToken', options, { client: tokenClient, request: optionalFn, apiUrl: apiUrlCheck });
  const { client, request, apiUrl } = options;
  const ownFetch = typeof (client as Partial<FetchingClient>).fetch === 'function' ? (client as FetchingClient).fetch : undefined;

  const bindFetch = (tokenRequest: TokenRequest | undefined): AuthorizedFetch => {
    if (ownFetch !== undefined) {
      return (pathOrUrl, init) => {
        const token = init?.token === undefined ? tokenRequest : { ...tokenRequest, ...init.token };
        return ownFetch(pathOrUrl, { ...init, ...(token === undefined ? {} : { token }) });
      };
    }
    // A plain TokenClient: core's authorized fetch around its getToken, bound to this request.
    return authorizedFetch({
      provider: client.provider,
      ...(apiUrl === undefined ? {} : { apiUrl }),
      getToken: (extra?: TokenRequest) => client.getToken({ ...tokenRequest, ...extra }),
      dispatcher: undefined,
      redact: createRedactor(),
    });
  };

  return (req, _res, next) => {
    (async () => {
      const tokenRequest = (request === undefined ? undefined : await request(req)) ?? undefined;
      // `{ businessId: undefined }` (no signed-in user) must not quietly become the server's own,
      // unscoped token: fail closed instead.
      const namesNoBusiness = tokenRequest !== undefined && 'businessId' in tokenRequest && !tokenRequest.businessId;
      if (namesNoBusiness) {
        throw new InvalidRequestError('withToken: request() named no business id; refusing to fall back to the client token');
      }
      const token = await client.getToken(tokenRequest);
      req.fintoken = { token, fetch: bindFetch(tokenRequest) };
    })().then(
      () => next(),
      (error: unknown) => next(error),
    );
  };
}

function apiUrlCheck(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    return 'must be an absolute URL';
  }
  if (typeof value !== 'string' || (url.protocol !== 'https:' && url.protocol !== 'http:')) return 'must be an http(s) URL string';
  // A token must not cross the network in clear (same rule as core's urlOption).
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) return 'must use https (plain http is only accepted for loopback hosts)';
  return undefined;
}
