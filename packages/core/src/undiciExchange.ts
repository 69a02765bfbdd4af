// The token-endpoint exchange over undici's `request`, for requests that carry a dispatcher: the
// caller's (`dispatcher` option) or the proxy agent of the environment (proxyEnv.ts). Same
// contract as fetchExchange.ts: one deadline, a capped body, typed and redacted errors.
import type { Dispatcher } from 'undici';
import { ConfigurationError, NetworkError } from './errors.js';
import { boundedExchange, declaredTooLarge, safeHost, tooLarge, type HttpOptions, type HttpRequestInit, type HttpResponse, type PlatformFetch } from './http.js';
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
    }).catch((error: unknown) => {
      throw proxyRefusal(connectStatus(error), init, options) ?? error;
    });
    const receivedAt = options.now();
    // RFC 9110 §15.5.8: only a proxy answers 407; the token endpoint was never reached.
    if (response.statusCode === 407) {
      response.body.once('error', () => undefined).destroy();
      throw proxyRefusal(407, init, options);
    }
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

// undici's ProxyAgent fails a refused tunnel with "Proxy response (407) !== 200 when HTTP Tunneling",
// and a forwarded request the proxy refuses with "Proxy Authentication Required (407)".
function connectStatus(error: unknown): number | undefined {
  const match = /^Proxy (?:response|Authentication Required) \((\d{3})\)/.exec((error as { message?: unknown } | null)?.message as string);
  return match === null ? undefined : Number(match[1]);
}

/**
 * A proxy's refusal, named as one: bad proxy credentials (407) are configuration to fix, not a
 * provider failure to retry; any other refusal of a tunnel is a network failure. The proxy URL
 * is never quoted (it may hold a password).
 */
function proxyRefusal(status: number | undefined, init: HttpRequestInit, options: HttpOptions): Error | undefined {
  if (status === undefined) return undefined;
  const provider = options.provider === undefined ? {} : { provider: options.provider };
  if (status === 407) {
    return new ConfigurationError(
      `The proxy refused the request to ${safeHost(init.url)} (407 Proxy Authentication Required): check the credentials in HTTPS_PROXY / HTTP_PROXY or in your dispatcher`,
      provider,
    );
  }
  return new NetworkError(`Could not reach ${safeHost(init.url)} through the proxy (it answered ${status} to CONNECT)`, provider);
}
