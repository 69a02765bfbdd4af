// `#transport` everywhere but Node (package.json "imports", conditions `workerd`, `worker`,
// `edge-light`, `browser`, `deno`, `bun` and the default): the global fetch, under the same
// contract as undici's transport: one AbortSignal deadline over connect, headers and body, the
// body streamed and cancelled at the byte cap, the same typed and redacted errors.
import {
  boundedExchange,
  declaredTooLarge,
  dispatcherUnsupported,
  tooLarge,
  type HttpExchange,
  type PlatformFetch,
  type TransportRuntime,
} from './http.js';
import { readCappedText } from './bytes.js';

export const transportRuntime: TransportRuntime = 'fetch';

/** One HTTP exchange over the global fetch with a bounded time and a bounded body. */
export const httpRequest: HttpExchange = async (init, options) => {
  if (options.dispatcher !== undefined) throw dispatcherUnsupported(options.provider);
  return boundedExchange(init, options, async (signal) => {
    const response = await fetch(init.url, {
      method: init.method,
      headers: init.headers,
      body: init.body ?? null,
      signal,
      // undici's request() follows no redirect: a token endpoint's 3xx is an answer, not a hop
      // that would carry the credentials elsewhere.
      redirect: 'manual',
    });
    const receivedAt = options.now();
    const headers: Record<string, string | undefined> = {};
    response.headers.forEach((value, name) => {
      headers[name] = value;
    });
    if (declaredTooLarge(headers, options)) {
      await response.body?.cancel().catch(() => undefined);
      throw tooLarge(init, options, response.status);
    }
    const text = await readCappedText(response.body, options.maxBodyBytes, () => tooLarge(init, options, response.status));
    return { status: response.status, headers, text, receivedAt };
  });
};

/** The global fetch; a dispatcher cannot be honoured here, so it is refused rather than ignored. */
export const platformFetch: PlatformFetch = (url, init, dispatcher) => {
  if (dispatcher !== undefined) return Promise.reject(dispatcherUnsupported());
  return fetch(url, init as RequestInit) as unknown as ReturnType<PlatformFetch>;
};
