import type { EndpointResult } from './errorResponse.js';

/** The Fetch API's side of an endpoint result. */
export function toResponse(result: EndpointResult): Response {
  return new Response(result.body, { status: result.status, headers: result.headers });
}
