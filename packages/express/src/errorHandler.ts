import { FintokenError } from '@fintoken/core';
import { errorResult, mapError } from '@fintoken/web/adapter';
import type { ErrorRequestHandler } from 'express';
import { send } from './send.js';

/**
 * Express error middleware for `FintokenError`s thrown in your routes (or passed on by
 * `withToken`): the same mapping as the token endpoint (502/503 + `Retry-After`/501/500) and the
 * same generic `{ error: { code, message } }` body. Any other error goes on to `next(err)`, so
 * your own error handling stays in charge of it. Mount it after your routes.
 *
 * @example
 * app.use(errorHandler());
 */
export function errorHandler(): ErrorRequestHandler {
  return (err: unknown, _req, res, next) => {
    if (!(err instanceof FintokenError) || res.headersSent) {
      next(err);
      return;
    }
    send(res, errorResult(mapError(err)));
  };
}
