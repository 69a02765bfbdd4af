import type { EndpointResult } from '@fintoken/web/adapter';
import type { Response } from 'express';

/**
 * Write an endpoint result with Node's own API rather than `res.json`, so Express 4 and 5 behave
 * the same and no ETag (derived from the token) or 304 revalidation is ever produced for it.
 */
export function send(res: Response, result: EndpointResult): void {
  res.statusCode = result.status;
  for (const [name, value] of Object.entries(result.headers)) res.setHeader(name, value);
  res.setHeader('Content-Length', Buffer.byteLength(result.body));
  res.end(result.body);
}
