import { ProviderError, type Token } from '@fintoken/core';
import { callEndpoint, encodeForm, tokenFromResponse, tokenResponseSchema, type FormFields, type HttpRequestInit, type Transport } from '@fintoken/core/provider';
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
 * RFC 6749 §4.4 token request through core's `callEndpoint` (bounded retries, capped body, typed
 * and redacted errors, one `endpoint.called` event), built anew for every attempt so a retry
 * carries a fresh client assertion and DPoP proof (servers refuse a reused `jti`: RFC 7523 §3,
 * RFC 9449 §11.1). The answer's `DPoP-Nonce` is read on errors too, and a `use_dpop_nonce`
 * answer is sent once more with it (RFC 9449 §8).
 */
export async function callTokenEndpoint(call: TokenCall, transport: Transport): Promise<Token> {
  const { dpop, endpoint } = call;
  let nonceSent: string | undefined;
  const build = async (): Promise<HttpRequestInit> => {
    const auth = await call.authenticate();
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', ...auth.headers };
    if (dpop !== undefined) {
      nonceSent = dpop.nonceFor(endpoint);
      headers.dpop = await dpop.proof({ method: 'POST', url: endpoint });
    }
    return { url: endpoint, method: 'POST', headers, body: encodeForm({ ...call.fields, ...auth.fields }) };
  };
  const { body, response } = await callEndpoint(
    build,
    {
      schema: tokenResponseSchema,
      key: call.key,
      ...(dpop === undefined
        ? {}
        : {
            onResponse: (answer) => dpop.learn(endpoint, answer.headers['dpop-nonce']),
            resendOnce: (error) => error instanceof ProviderError && error.providerCode === 'use_dpop_nonce' && dpop.nonceFor(endpoint) !== nonceSent,
          }),
    },
    transport,
  );
  return tokenFromResponse(body, response, transport, { key: call.key });
}
