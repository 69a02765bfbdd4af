import type { IncomingMessage } from 'node:http';

/** What a handler answers; the dispatcher serialises it, adds Date and applies faults. */
export interface Reply {
  status: number;
  /** Serialised as application/json. */
  json?: unknown;
  /** Sent verbatim with `contentType` (application/json unless given); wins over `json`. */
  raw?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

export const formType = 'application/x-www-form-urlencoded';
export const jsonType = 'application/json';

export function json(status: number, body: unknown, headers?: Record<string, string>): Reply {
  return headers ? { status, json: body, headers } : { status, json: body };
}

/** Thrown by a body read that exceeds the limit; the dispatcher answers 413 in the provider's shape. */
export class PayloadTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`Request body exceeds ${limit} bytes`);
    this.name = 'PayloadTooLargeError';
  }
}

const bodyLimit = 64 * 1024;

export function readBody(req: IncomingMessage, limit = bodyLimit): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new PayloadTooLargeError(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The media type of the request body, lower-cased and without parameters ("" when absent). */
export function mediaType(req: IncomingMessage): string {
  const header = req.headers['content-type'];
  if (!header) return '';
  const semicolon = header.indexOf(';');
  return (semicolon === -1 ? header : header.slice(0, semicolon)).trim().toLowerCase();
}

export function parseForm(body: Buffer): URLSearchParams {
  return new URLSearchParams(body.toString('utf8'));
}

/** The first parameter sent more than once (RFC 6749 §3.2: parameters MUST NOT be repeated). */
export function repeatedParam(form: URLSearchParams): string | undefined {
  const seen = new Set<string>();
  for (const key of form.keys()) {
    if (seen.has(key)) return key;
    seen.add(key);
  }
  return undefined;
}

export type Authorization =
  | { scheme: 'basic'; id: string; secret: string }
  | { scheme: 'bearer'; token: string }
  | { scheme: 'other' }
  | { scheme: 'malformed' };

const base64Pattern = /^[A-Za-z0-9+/]+={0,2}$/;

// RFC 6749 §2.3.1: client id and secret are form-urlencoded before they are Basic-encoded.
function formDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/** Parses an Authorization header; undefined when there is none. */
export function parseAuthorization(header: string | undefined): Authorization | undefined {
  if (header === undefined || header === '') return undefined;
  const space = header.indexOf(' ');
  const scheme = (space === -1 ? header : header.slice(0, space)).toLowerCase();
  const value = space === -1 ? '' : header.slice(space + 1).trim();
  if (scheme === 'bearer') return value ? { scheme: 'bearer', token: value } : { scheme: 'malformed' };
  if (scheme !== 'basic') return { scheme: 'other' };
  if (!base64Pattern.test(value)) return { scheme: 'malformed' };
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) return { scheme: 'malformed' };
  const id = formDecode(decoded.slice(0, colon));
  const secret = formDecode(decoded.slice(colon + 1));
  if (id === undefined || secret === undefined) return { scheme: 'malformed' };
  return { scheme: 'basic', id, secret };
}

/** Parses a JSON request body; undefined when it is not JSON. */
export function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}
