// The token-endpoint exchange over the global fetch: what `http.fetch` runs everywhere but Node,
// and what `http.node` runs on Node unless a request needs the undici package (a dispatcher, a
// proxy). One AbortSignal deadline over connect, headers and body, the body streamed and
// cancelled at the byte cap, the same typed and redacted errors as the undici path.
import { readCappedText } from './bytes.js';
import { boundedExchange, declaredTooLarge, tooLarge, type HttpExchange } from './http.js';

/** One HTTP exchange over the global fetch with a bounded time and a bounded body. */
export const fetchExchange: HttpExchange = (init, options) =>
  boundedExchange(init, options, async (signal) => {
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
