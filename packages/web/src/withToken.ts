import { FintokenError } from '@fintoken/core';
import { errorResult } from './errorResponse.js';
import { mapError } from './mapError.js';
import { createTokenContext, type FintokenRequestContext, type TokenContextOptions } from './tokenContext.js';
import { toResponse } from './toResponse.js';

export type WithTokenOptions = TokenContextOptions<Request>;

/**
 * Wrap a Fetch-API handler so it runs with a token: `handler(request, { token, fetch }, ...rest)`
 * for server-side calls to the provider. Any further arguments of the route (Next.js's
 * `{ params }`, Deno's `info`, Bun's `server`) are passed through. A `FintokenError` (getting the
 * token, or thrown by the handler) becomes the same generic JSON error as the token endpoint's
 * (502/503 + `Retry-After`/501/500, `no-store`); any other error is rethrown to your framework.
 *
 * @example
 * // Next.js App Router: app/api/business/route.ts
 * export const GET = withToken(
 *   { client: layer, request: async () => ({ businessId: (await auth())?.user.layerBusinessId }) },
 *   async (_request, { fetch }) => Response.json(await (await fetch('/v1/businesses/...')).json()),
 * );
 */
export function withToken<Rest extends unknown[]>(
  options: WithTokenOptions,
  handler: (request: Request, context: FintokenRequestContext, ...rest: Rest) => Response | Promise<Response>,
): (request: Request, ...rest: Rest) => Promise<Response> {
  const contextFor = createTokenContext<Request>('withToken', options);
  return async (request, ...rest) => {
    try {
      return await handler(request, await contextFor(request), ...rest);
    } catch (error) {
      if (error instanceof FintokenError) return toResponse(errorResult(mapError(error)));
      throw error;
    }
  };
}
