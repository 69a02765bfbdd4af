import { ProviderError, retry, type Token } from '@fintoken/core';
import {
  checkResponse,
  encodeForm,
  httpRequest,
  tokenFromResponse,
  tokenResponseSchema,
  type FormFields,
  type HttpRequestInit,
  type Transport,
} from '@fintoken/core/provider';
import type { Authenticator } from './clientAuth.js';
import type { Dpop } from './dpop.js';

export interface TokenCall {
  /** The token endpoint (its mTLS alias when the client presents a certificate). */
  endpoint: string;
  /** What is asked for: grant type, scope, resource, audience, extra fields. */
  fields: FormFields;
  authenticate: Authenticator;
  dpop: Dpop | undefined;
  /** The cache key the call fills, for events. */
  key: string;
}

/**
 * RFC 6749 §4.4 token request, as core's `callEndpoint` makes it (bounded retries, capped body,
 * typed and redacted errors, one `endpoint.called` event) with two differences a generic client
 * needs: every attempt is built anew, so a retry carries a fresh client assertion and DPoP proof
 * (servers refuse a reused `jti`: RFC 7523 §3, RFC 9449 §11.1), and the answer's `DPoP-Nonce`
 * header is read even on an error, to answer `use_dpop_nonce` once (RFC 9449 §8).
 */
export async function callTokenEndpoint(call: TokenCall, transport: Transport): Promise<Token> {
  const spec = { schema: tokenResponseSchema, key: call.key };
  let attempts = 0;
  let status: number | undefined;

  const build = async (): Promise<HttpRequestInit> => {
    const auth = await call.authenticate();
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', ...auth.headers };
    if (call.dpop !== undefined) headers.dpop = await call.dpop.proof({ method: 'POST', url: call.endpoint });
    return { url: call.endpoint, method: 'POST', headers, body: encodeForm({ ...call.fields, ...auth.fields }) };
  };
  const send = async (remainingMs: number) => {
    const init = await build();
    attempts++;
    const response = await httpRequest(init, {
      timeoutMs: Math.max(1, Math.min(transport.timeoutMs, remainingMs)),
      maxBodyBytes: transport.maxBodyBytes,
      dispatcher: transport.dispatcher,
      now: transport.now,
      provider: transport.provider,
    });
    status = response.status;
    call.dpop?.learn(call.endpoint, response.headers['dpop-nonce']);
    return { body: checkResponse(response, spec, transport), response };
  };
  const attempt = async (_attempt: number, remainingMs: number) => {
    const nonce = call.dpop?.nonceFor(call.endpoint);
    try {
      return await send(remainingMs);
    } catch (error) {
      // RFC 9449 §8: the server wants a proof with the nonce it just sent; one more try with it.
      const renewed = call.dpop !== undefined && call.dpop.nonceFor(call.endpoint) !== nonce;
      if (!(renewed && error instanceof ProviderError && error.providerCode === 'use_dpop_nonce')) throw error;
      return send(remainingMs);
    }
  };

  const started = transport.now();
  let failure: unknown;
  try {
    const { body, response } =
      transport.retry === false
        ? await attempt(1, transport.timeoutMs)
        : await retry(attempt, transport.retry, {
            onRetry: ({ attempt: n, delayMs, error }) => transport.emit({ type: 'retry.scheduled', attempt: n, delayMs, error: error as never, key: call.key }),
          });
    return tokenFromResponse(body, response, transport, { key: call.key });
  } catch (error) {
    failure = error;
    throw error;
  } finally {
    const url = new URL(call.endpoint);
    transport.emit({
      type: 'endpoint.called',
      method: 'POST',
      url: transport.redact(`${url.origin}${url.pathname}`),
      attempts,
      durationMs: transport.now() - started,
      ...(status === undefined ? {} : { status }),
      ...(failure === undefined ? {} : { error: failure as never }),
      key: call.key,
    });
  }
}
