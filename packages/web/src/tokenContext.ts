import { createRedactor, InvalidRequestError, type AuthorizedFetch, type Token, type TokenClient, type TokenRequest } from '@fintoken/core';
import { authorizedFetch, isLoopbackHost } from '@fintoken/core/provider';
import { checkOptions, optionalFn, tokenClient } from './validate.js';

/** What a server-side handler gets: the token and a fetch bound to it. */
export interface FintokenRequestContext {
  /** The token for this request's token request (util.inspect/JSON show it redacted). */
  token: Token;
  /**
   * An authorized `fetch` to the provider API, bound to the same token request: the right Bearer,
   * and on a 401 one refresh and one retry. Paths resolve against the client's API URL.
   */
  fetch: AuthorizedFetch;
}

/** `R` is the framework's request: Express's `req`, or the Fetch API's `Request`. */
export interface TokenContextOptions<R> {
  client: TokenClient;
  /**
   * Which token this request needs, e.g. `(req) => ({ businessId: session.businessId })`.
   * Default (or when it returns undefined): the client's own token. A result whose `businessId`
   * is present but empty or undefined is refused (`InvalidRequestError`, a 500) rather than
   * served with the client's unscoped token.
   */
  request?: (req: R) => TokenRequest | undefined | Promise<TokenRequest | undefined>;
  /**
   * For a client without its own `fetch` (a plain `TokenClient`): the API origin (plus path
   * prefix) that the context's `fetch` may send the token to. Without it that fetch refuses to
   * send, so a token never goes to a host nobody configured. Provider clients ignore it.
   */
  apiUrl?: string;
}

type FetchingClient = TokenClient & { fetch: AuthorizedFetch };

/**
 * The server-side half of both adapters' `withToken`: validate the options once, then, per
 * request, get the token and bind an authorized fetch to the same token request. Rejects with
 * the `FintokenError` to map; adapters decide how it reaches the response.
 */
export function createTokenContext<R>(name: string, options: TokenContextOptions<R>): (req: R) => Promise<FintokenRequestContext> {
  checkOptions(name, options, { client: tokenClient, request: optionalFn, apiUrl: apiUrlCheck });
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

  return async (req) => {
    const tokenRequest = (request === undefined ? undefined : await request(req)) ?? undefined;
    // `{ businessId: undefined }` (no signed-in user) must not quietly become the server's own,
    // unscoped token: fail closed instead.
    const namesNoBusiness = tokenRequest !== undefined && 'businessId' in tokenRequest && !tokenRequest.businessId;
    if (namesNoBusiness) {
      throw new InvalidRequestError(`${name}: request() named no business id; refusing to fall back to the client token`);
    }
    const token = await client.getToken(tokenRequest);
    return { token, fetch: bindFetch(tokenRequest) };
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
