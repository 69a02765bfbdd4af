export interface StreamReader {
  /** Stop reading and return everything received so far. */
  stop(): string;
}

/** Read a Server-Sent Events stream from Node, as the page would, until stopped. */
export function readStream(url: string, cookie: string): StreamReader {
  const controller = new AbortController();
  let text = '';
  void (async () => {
    const response = await fetch(url, { headers: { cookie, accept: 'text/event-stream' }, signal: controller.signal });
    const decoder = new TextDecoder();
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) text += decoder.decode(chunk, { stream: true });
  })().catch(() => undefined);
  return {
    stop() {
      controller.abort();
      return text;
    },
  };
}
