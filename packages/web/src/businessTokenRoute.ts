import { createTokenEndpoint, type RateLimitOptions as SharedRateLimitOptions, type TokenEndpointOptions } from './endpoint.js';
import { toResponse } from './toResponse.js';

/** `key(request, authorized)` defaults to the authorized identity: `subject`, else the business id. */
export type RateLimitOptions = SharedRateLimitOptions<Request>;

export type BusinessTokenRouteOptions = TokenEndpointOptions<Request>;

/**
 * A Fetch-API route handler (`Request` in, `Response` out) that hands the signed-in user's
 * browser a token scoped to the one business `authorize` allows: the same endpoint, rule for
 * rule, as `businessTokenHandler` of `@fintoken/express`. Serves POST (preferred) and GET;
 * other methods get 405, requests from other sites 403. Every response is JSON with
 * `Cache-Control: no-store`; failures are generic `{ error: { code, message } }` bodies with
 * nothing of the provider's answer.
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
    // The URL the runtime received the request at. Behind a proxy that rewrites the host or ends
    // TLS this is the inner one: list the public origin in `allowedOrigins` (README, "Behind a proxy").
    origin: (request) => originOfUrl(request.url),
  });
  return (request) => endpoint(request).then(toResponse);
}

function originOfUrl(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}
