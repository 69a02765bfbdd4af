import { Agent, request, type Dispatcher } from 'undici';
import { AbortError, NetworkError, ResponseValidationError, TimeoutError } from './errors.js';

export interface HttpRequestInit {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
}

export interface HttpOptions {
  /** Whole-attempt timeout: connect, headers and body. */
  timeoutMs: number;
  /** Largest body read; a larger one is refused (token endpoints answer in a few hundred bytes). */
  maxBodyBytes: number;
  dispatcher?: Dispatcher | undefined;
  signal?: AbortSignal | undefined;
  now: () => number;
  provider?: string | undefined;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | undefined>;
  text: string;
  /** Local clock when the response headers arrived: expiry is computed from this instant. */
  receivedAt: number;
}

let sharedAgent: Agent | undefined;

/** The default keep-alive pool, created on first use. */
function defaultDispatcher(): Agent {
  sharedAgent ??= new Agent({ connect: { timeout: 10_000 }, keepAliveTimeout: 10_000, keepAliveMaxTimeout: 60_000 });
  return sharedAgent;
}

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);

/** One HTTP exchange over undici with a bounded time and a bounded body. */
export async function httpRequest(init: HttpRequestInit, options: HttpOptions): Promise<HttpResponse> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal === undefined ? timeout : AbortSignal.any([timeout, options.signal]);
  const host = safeHost(init.url);
  const provider = options.provider === undefined ? {} : { provider: options.provider };
  try {
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
    const declared = Number(headers['content-length']);
    if (declared > options.maxBodyBytes) {
      response.body.destroy();
      throw tooLarge(host, options, response.statusCode);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body) {
      size += (chunk as Buffer).length;
      if (size > options.maxBodyBytes) {
        response.body.destroy();
        throw tooLarge(host, options, response.statusCode);
      }
      chunks.push(chunk as Buffer);
    }
    return { status: response.statusCode, headers, text: Buffer.concat(chunks).toString('utf8'), receivedAt };
  } catch (error) {
    if (error instanceof ResponseValidationError) throw error;
    if (timeout.aborted || TIMEOUT_CODES.has(codeOf(error))) {
      throw new TimeoutError(`No complete answer from ${host} within ${options.timeoutMs} ms`, provider);
    }
    if (options.signal?.aborted) throw new AbortError('The request was aborted by its AbortSignal', provider);
    const code = codeOf(error) || (error instanceof Error ? error.name : 'unknown error');
    // Only the error code: undici messages are safe today, but a cause could carry request data.
    throw new NetworkError(`Could not reach ${host} (${code})`, provider);
  }
}

function tooLarge(host: string, options: HttpOptions, status: number): ResponseValidationError {
  return new ResponseValidationError(`The response from ${host} is larger than ${options.maxBodyBytes} bytes`, {
    field: '(body)',
    status,
    ...(options.provider === undefined ? {} : { provider: options.provider }),
  });
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  const causeCode = ((error as { cause?: { code?: unknown } } | null)?.cause)?.code;
  return typeof causeCode === 'string' ? causeCode : '';
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the provider';
  }
}
