// `#transport` on Node (package.json "imports", condition `node`): undici with a keep-alive pool,
// connect/headers/body timeouts and an optional `dispatcher` (MockAgent, ProxyAgent).
import { Agent, fetch as undiciFetch, request } from 'undici';
import {
  boundedExchange,
  declaredTooLarge,
  tooLarge,
  type HttpExchange,
  type PlatformFetch,
  type TransportRuntime,
} from './http.js';

export const transportRuntime: TransportRuntime = 'undici';

let sharedAgent: Agent | undefined;

/** The default keep-alive pool, created on first use. */
function defaultDispatcher(): Agent {
  sharedAgent ??= new Agent({ connect: { timeout: 10_000 }, keepAliveTimeout: 10_000, keepAliveMaxTimeout: 60_000 });
  return sharedAgent;
}

/** One HTTP exchange over undici with a bounded time and a bounded body. */
export const httpRequest: HttpExchange = (init, options) =>
  boundedExchange(init, options, async (signal) => {
    const response = await request(init.url, {
      method: init.method,
      headers: init.headers,
      body: init.body ?? null,
      signal,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      dispatcher: options.dispatcher ?? defaultDispatcher(),
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

/** undici's fetch, so that `client.fetch` goes through the same dispatcher as token requests. */
export const platformFetch: PlatformFetch = (url, init, dispatcher) => undiciFetch(url, dispatcher === undefined ? init : { ...init, dispatcher });
