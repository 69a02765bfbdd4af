// The token-endpoint exchange over undici's `request`, for requests that carry a dispatcher: the
// caller's (`dispatcher` option) or the proxy agent of the environment (proxyEnv.ts). Same
// contract as fetchExchange.ts: one deadline, a capped body, typed and redacted errors.
import type { Dispatcher } from 'undici';
import { boundedExchange, declaredTooLarge, tooLarge, type HttpOptions, type HttpRequestInit, type HttpResponse, type PlatformFetch } from './http.js';
import { loadUndici } from './undici.js';

/** One HTTP exchange over undici through `dispatcher`, with a bounded time and a bounded body. */
export function undiciExchange(init: HttpRequestInit, options: HttpOptions, dispatcher: Dispatcher | Promise<Dispatcher>): Promise<HttpResponse> {
  return boundedExchange(init, options, async (signal) => {
    const [{ request }, via] = await Promise.all([loadUndici(), dispatcher]);
    const response = await request(init.url, {
      method: init.method,
      headers: init.headers,
      body: init.body ?? null,
      signal,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      dispatcher: via,
    });
    const receivedAt = options.now();
    const headers: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries(response.headers)) {
      headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    if (declaredTooLarge(headers, options)) {
      // Destroying an unread body emits an AbortError: without a listener it would crash the process.
      response.body.once('error', () => undefined).destroy();
      throw tooLarge(init, options, response.statusCode);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body) {
      size += (chunk as Buffer).length;
      if (size > options.maxBodyBytes) {
        response.body.destroy();
        throw tooLarge(init, options, response.statusCode);
      }
      chunks.push(chunk as Buffer);
    }
    return { status: response.statusCode, headers, text: Buffer.concat(chunks).toString('utf8'), receivedAt };
  });
}

/** undici's fetch through `dispatcher`, so that `client.fetch` takes the same way as token requests. */
export async function undiciFetch(url: string, init: Parameters<PlatformFetch>[1], dispatcher: Dispatcher | Promise<Dispatcher>): ReturnType<PlatformFetch> {
  const [{ fetch }, via] = await Promise.all([loadUndici(), dispatcher]);
  return fetch(url, { ...init, dispatcher: via });
}
