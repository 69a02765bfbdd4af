import type { ServerResponse } from 'node:http';
import { jsonType, type Reply } from './http.js';
import type { Scheduler } from './scheduler.js';

const slowChunks = 8;

/**
 * Sends a reply. With `slowBodyMs` the headers go out at once and the body follows in chunks
 * spread over that time, so clients' body timeouts can be tested.
 */
export function writeReply(
  res: ServerResponse,
  reply: Reply,
  date: string,
  slow?: { ms: number; scheduler: Scheduler },
): void {
  const body = reply.raw ?? (reply.json === undefined ? '' : JSON.stringify(reply.json));
  const payload = Buffer.from(body, 'utf8');
  const headers: Record<string, string | number> = {
    Date: date,
    'Content-Length': payload.length,
    ...reply.headers,
  };
  if (payload.length > 0) headers['Content-Type'] = reply.contentType ?? jsonType;
  res.writeHead(reply.status, headers);
  if (!slow || payload.length < 2) {
    res.end(payload);
    return;
  }
  const count = Math.min(slowChunks, payload.length);
  const size = Math.ceil(payload.length / count);
  const interval = slow.ms / count;
  const sendChunk = (index: number): void => {
    if (res.destroyed) return;
    const chunk = payload.subarray(index * size, (index + 1) * size);
    if ((index + 1) * size >= payload.length) {
      res.end(chunk);
      return;
    }
    res.write(chunk);
    slow.scheduler.after(interval, () => sendChunk(index + 1));
  };
  // The first chunk also waits, so the whole body takes about `ms` to arrive.
  slow.scheduler.after(interval, () => sendChunk(0));
}
