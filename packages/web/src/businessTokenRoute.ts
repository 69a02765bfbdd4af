import { createTokenEndpoint, type RateLimitOptions as SharedRateLimitOptions, type TokenEndpointOptions } from './endpoint.js';
import { toResponse } from './toResponse.js';

export interface RateLimitOptions extends SharedRateLimitOptions<Request> {
  /**
   * Required: who is counted, e.g. the session's user id, or the client address your platform
   * puts in a header it controls (Cloudflare's `cf-connecting-ip`). A Fetch `Request` carries no
   * client address of its own. Requests it returns undefined for share one bucket.
   */
  key: (request: Request) => string | undefined;
}

export interface BusinessTokenRouteOptions extends Omit<TokenEndpointOptions<Request>, 'rateLimit'> {
  /** Per-key request limit on this endpoint. Off by default. */
  rateLimit?: RateLimitOptions;
}

/**
 * A Fetch-API route handler (`Request` in, `Response` out) that hands the signed-in user's
 * browser a token scoped to the one business `authorize` allows: the same endpoint, rule for
 * rule, as `businessTokenHandler` of `@fintoken/express`. Serves POST (preferred) and GET;
 * other methods get 405. Every response is JSON with `Cache-Control: no-store`; failures are
 * generic `{ error: { code, message } }` bodies with nothing of the provider's answer.
 *
 * @example
 * // Next.js App Router: app/api/layer-token/route.ts
 * const route = businessTokenRoute({ client: layer, authorize: async () => (await auth())?.user.layerBusinessId });
 * export const POST = route;
 */
export function businessTokenRoute(options: BusinessTokenRouteOptions): (request: Request) => Promise<Response> {
  const endpoint = createTokenEndpoint<Request>(options, {
    name: 'businessTokenRoute',
    method: (request) => request.method,
    header: (request, name) => request.headers.get(name) ?? undefined,
  });
  return (request) => endpoint(request).then(toResponse);
}
