// Byte helpers on Web APIs only (TextEncoder, TextDecoder, btoa, ReadableStream), so core runs
// where there is no `Buffer`: workerd, edge runtimes, browsers.

/** Base64 of the UTF-8 bytes of `text`, as `Buffer.from(text).toString('base64')` (RFC 7617 §2.1: UTF-8). */
export function base64Utf8(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * Read a body stream as UTF-8 text, cancelling it (no further byte read) as soon as it goes
 * over `maxBytes`, when `onTooLarge`'s error is thrown.
 */
export async function readCappedText(body: ReadableStream<Uint8Array> | null, maxBytes: number, onTooLarge: () => Error): Promise<string> {
  if (body === null) return '';
  // ignoreBOM keeps a BOM as Buffer#toString does: the body is then not JSON, on every runtime alike.
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  const reader = body.getReader();
  let size = 0;
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw onTooLarge();
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}
