// The transport contract every path keeps: `http.node.ts` (Node: the global fetch, or undici when
// a request needs a dispatcher) and `http.fetch.ts` (the global fetch: workerd, edge, browsers,
// Deno, Bun). Which file runs is chosen by the `#transport` conditions in package.json, never by
// sniffing the runtime here; the exchanges themselves are fetchExchange.ts and undiciExchange.ts.
import type { Dispatcher, RequestInit as UndiciRequestInit, Response as UndiciResponse } from 'undici';
import { AbortError, ConfigurationError, FintokenError, NetworkError, ResponseValidationError, TimeoutError } from './errors.js';

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
  /** Node only (sent through undici): the fetch transport refuses one with `ConfigurationError`. */
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

/** One token-endpoint exchange with a bounded time and a bounded body. */
export type HttpExchange = (init: HttpRequestInit, options: HttpOptions) => Promise<HttpResponse>;

/** `fetch` as `client.fetch` sends it: a dispatcher is passed on only where one exists (Node). */
export type PlatformFetch = (url: string, init: UndiciRequestInit, dispatcher: Dispatcher | undefined) => Promise<UndiciResponse>;

/** Which implementation `#transport` resolved to. */
export type TransportRuntime = 'undici' | 'fetch';

/**
 * Run one exchange under one deadline (connect, headers and body alike: an AbortSignal, which
 * every runtime has) joined with the caller's signal, and turn any failure into its typed error.
 */
export async function boundedExchange(init: HttpRequestInit, options: HttpOptions, send: (signal: AbortSignal) => Promise<HttpResponse>): Promise<HttpResponse> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  try {
    return await send(options.signal === undefined ? timeout : AbortSignal.any([timeout, options.signal]));
  } catch (error) {
    throw exchangeFailure(error, init, options, timeout);
  }
}

/** The response declares a length over the cap: refuse it before reading a byte. */
export function declaredTooLarge(headers: Record<string, string | undefined>, options: HttpOptions): boolean {
  return Number(headers['content-length']) > options.maxBodyBytes;
}

export function tooLarge(init: HttpRequestInit, options: HttpOptions, status: number): ResponseValidationError {
  return new ResponseValidationError(`The response from ${safeHost(init.url)} is larger than ${options.maxBodyBytes} bytes`, {
    field: '(body)',
    status,
    ...(options.provider === undefined ? {} : { provider: options.provider }),
  });
}

export function dispatcherUnsupported(provider?: string): ConfigurationError {
  return new ConfigurationError(
    'The dispatcher option is an undici option and works on Node only; this runtime uses the global fetch (see @fintoken/core README, "Runtimes")',
    provider === undefined ? {} : { provider },
  );
}

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);

/**
 * The typed error a failed exchange stands for, the same on both transports: the deadline ->
 * `TimeoutError`, the caller's signal -> `AbortError`, anything else -> `NetworkError` naming only
 * an error code (a message or cause could carry request data).
 */
function exchangeFailure(error: unknown, init: HttpRequestInit, options: HttpOptions, timeout: AbortSignal): FintokenError {
  // Ours already (body cap, configuration, proxy refusals): typed where it was thrown.
  if (error instanceof FintokenError) return error;
  const host = safeHost(init.url);
  const provider = options.provider === undefined ? {} : { provider: options.provider };
  if (timeout.aborted || TIMEOUT_CODES.has(codeOf(error))) {
    return new TimeoutError(`No complete answer from ${host} within ${options.timeoutMs} ms`, provider);
  }
  if (options.signal?.aborted) return new AbortError('The request was aborted by its AbortSignal', provider);
  const code = codeOf(error) || (error instanceof Error ? error.name : 'unknown error');
  return new NetworkError(`Could not reach ${host} (${code})`, provider);
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  const causeCode = ((error as { cause?: { code?: unknown } } | null)?.cause)?.code;
  return typeof causeCode === 'string' ? causeCode : '';
}

export function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the provider';
  }
}
