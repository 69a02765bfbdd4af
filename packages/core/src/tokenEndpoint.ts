import * as z from 'zod/mini';
import { AuthenticationError, ProviderError, ResponseValidationError } from './errors.js';
import { httpRequest } from './runtime.js';
import type { HttpRequestInit, HttpResponse } from './http.js';
import { retry } from './retry.js';
import { parseRetryAfter } from './retryAfter.js';
import { issueMessage } from './issues.js';
import type { Transport } from './transport.js';

/** What a provider's error body says, in fintoken's terms. */
export interface ErrorDetails {
  /** Machine-readable code (`error`, `error_enum`). */
  code?: string | undefined;
  /** Layer's ApiError.type. */
  type?: string | undefined;
  errorEnum?: string | undefined;
  description?: string | undefined;
  /** The provider says the credentials are bad (beyond the status code). */
  authentication?: boolean;
}

export interface EndpointSpec<S extends z.core.$ZodType> {
  /** Schema of a successful body. */
  schema: S;
  /** Read a provider-specific error body; the default reads RFC 6749 §5.2 `{error, error_description}`. */
  parseError?: (status: number, body: unknown) => ErrorDetails | undefined;
  /** Called "token endpoint" in messages unless named. */
  name?: string;
  signal?: AbortSignal | undefined;
  /** The cache key the call fills, named in `retry.scheduled` events. */
  key?: string | undefined;
  /** Sees every response before it is checked, error statuses included (e.g. to read a `DPoP-Nonce` header). */
  onResponse?: ((response: HttpResponse) => void) | undefined;
  /**
   * After a failed attempt: true to send once more at once, within that attempt (RFC 9449 §8: a
   * `use_dpop_nonce` answer asks for a new proof with the nonce it sent). Asked once per attempt.
   */
  resendOnce?: ((error: unknown) => boolean) | undefined;
}

/** A request, or a function building a new one for every attempt (a fresh client assertion `jti` or DPoP proof each time). */
export type EndpointRequest = HttpRequestInit | (() => HttpRequestInit | Promise<HttpRequestInit>);

/**
 * POST to a token endpoint with bounded retries, a bounded body, a status check, a zod-validated
 * body and provider errors mapped to typed errors with every echoed secret redacted.
 */
export async function callEndpoint<S extends z.core.$ZodType>(
  request: EndpointRequest,
  spec: EndpointSpec<S>,
  transport: Transport,
): Promise<{ body: z.infer<S>; response: HttpResponse }> {
  let attempts = 0;
  let status: number | undefined;
  let init: HttpRequestInit | undefined = typeof request === 'function' ? undefined : request;
  const send = async (remainingMs: number) => {
    if (typeof request === 'function') init = await request();
    attempts++;
    const response = await httpRequest(init!, {
      timeoutMs: Math.max(1, Math.min(transport.timeoutMs, remainingMs)),
      maxBodyBytes: transport.maxBodyBytes,
      dispatcher: transport.dispatcher,
      signal: spec.signal,
      now: transport.now,
      provider: transport.provider,
    });
    status = response.status;
    spec.onResponse?.(response);
    return { body: checkResponse(response, spec, transport), response };
  };
  const attempt = async (_attempt: number, remainingMs: number) => {
    if (spec.resendOnce === undefined) return send(remainingMs);
    try {
      return await send(remainingMs);
    } catch (error) {
      if (!spec.resendOnce(error)) throw error;
      return send(remainingMs);
    }
  };
  const started = transport.now();
  let failure: unknown;
  try {
    if (transport.retry === false) return await attempt(1, transport.timeoutMs);
    return await retry(attempt, transport.retry, {
      signal: spec.signal,
      onRetry: ({ attempt: n, delayMs, error }) =>
        transport.emit({ type: 'retry.scheduled', attempt: n, delayMs, error: error as never, ...(spec.key === undefined ? {} : { key: spec.key }) }),
    });
  } catch (error) {
    failure = error;
    throw error;
  } finally {
    // One event per endpoint call, for HTTP client spans (OpenTelemetry semantic conventions).
    transport.emit({
      type: 'endpoint.called',
      method: init?.method ?? 'POST',
      url: init === undefined ? '(not sent)' : transport.redact(credentialFreeUrl(init.url)),
      attempts,
      durationMs: transport.now() - started,
      ...(status === undefined ? {} : { status }),
      ...(failure === undefined ? {} : { error: failure as never }),
      ...(spec.key === undefined ? {} : { key: spec.key }),
    });
  }
}

/** The URL without user info, query or fragment: the parts that can carry credentials. */
function credentialFreeUrl(raw: string): string {
  try {
    const url = new URL(raw);
    return `${url.origin}${url.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The parts of a response that error mapping and validation read. */
export type ResponseText = Pick<HttpResponse, 'status' | 'headers' | 'text'>;

/**
 * A 2xx body validated with `spec.schema`, or the typed error the response stands for: the one
 * place where provider answers (token endpoints and API calls alike) become values or errors.
 */
export function checkResponse<S extends z.core.$ZodType>(response: ResponseText, spec: EndpointSpec<S>, transport: Transport): z.infer<S> {
  if (response.status < 200 || response.status >= 300) throw toProviderError(response, spec, transport);
  return parseBody(response, spec, transport);
}

function parseBody<S extends z.core.$ZodType>(response: ResponseText, spec: EndpointSpec<S>, transport: Transport): z.infer<S> {
  const where = spec.name ?? 'token endpoint';
  const json = parseJson(response.text);
  const options = { provider: transport.provider, status: response.status };
  if (json === undefined) {
    const type = response.headers['content-type'] ?? 'no content type';
    throw new ResponseValidationError(`The ${transport.provider} ${where} answered ${response.status} with a body that is not JSON (${type})`, {
      ...options,
      field: '(body)',
    });
  }
  const result = z.safeParse(spec.schema, json);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue === undefined || issue.path.length === 0 ? '(body)' : issue.path.map(String).join('.');
    throw new ResponseValidationError(
      `The ${transport.provider} ${where} answered with an invalid body: ${field}: ${issue === undefined ? 'does not match the schema' : issueMessage(issue)}`,
      { ...options, field },
    );
  }
  return result.data;
}

/** RFC 6749 §5.2 error bodies: `{error, error_description}`. */
export function parseOAuthError(_status: number, body: unknown): ErrorDetails | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { error, error_description } = body as Record<string, unknown>;
  if (typeof error !== 'string') return undefined;
  return {
    code: error,
    description: typeof error_description === 'string' ? error_description : undefined,
    // RFC 6749 §5.2: unauthorized_client means the grant is not allowed for this client, not bad credentials.
    authentication: error === 'invalid_client' || error === 'invalid_token',
  };
}

const MAX_DESCRIPTION = 300;

function toProviderError<S extends z.core.$ZodType>(response: ResponseText, spec: EndpointSpec<S>, transport: Transport): ProviderError {
  const json = parseJson(response.text);
  const details = (spec.parseError ?? parseOAuthError)(response.status, json) ?? parseOAuthError(response.status, json) ?? {};
  const retryAfterMs = parseRetryAfter(response.headers['retry-after'], response.headers.date, transport.now());
  const where = spec.name ?? 'token endpoint';
  const code = details.errorEnum ?? details.code;
  let message = `The ${transport.provider} ${where} answered ${response.status}`;
  if (code !== undefined) message += ` ${transport.redact(code).slice(0, 100)}`;
  if (details.description !== undefined) message += `: ${transport.redact(details.description).slice(0, MAX_DESCRIPTION)}`;
  const options = {
    provider: transport.provider,
    status: response.status,
    ...(code === undefined ? {} : { providerCode: transport.redact(code).slice(0, 100) }),
    ...(details.type === undefined ? {} : { type: transport.redact(details.type).slice(0, 100) }),
    ...(details.errorEnum === undefined ? {} : { errorEnum: transport.redact(details.errorEnum).slice(0, 100) }),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  };
  if (response.status === 401 || (details.authentication === true && response.status < 500)) {
    return new AuthenticationError(`${message}. Check the credentials.`, options);
  }
  return new ProviderError(message, options);
}
