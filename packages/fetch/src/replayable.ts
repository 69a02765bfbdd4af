/**
 * Whether a request can be sent a second time after a 401 (RFC 6750 §3.1 `invalid_token`).
 * Bodies the runtime re-serialises on every send are replayable; a `ReadableStream` (or a
 * `Request` carrying its own body) is consumed by the first send, so that 401 is returned as is.
 */
export function isReplayable(input: RequestInfo | URL, init: RequestInit | undefined): boolean {
  const body = init?.body;
  return body === undefined
    ? // `init.body` undefined means the body (if any) is the Request's own stream.
      !(input instanceof Request && input.body)
    : // null and strings (not objects), typed arrays and the other re-serialisable kinds.
      Object(body) !== body || ArrayBuffer.isView(body) || [URLSearchParams, Blob, ArrayBuffer, FormData].some((Kind) => body instanceof Kind);
}
