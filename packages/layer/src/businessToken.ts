import {
  bearer,
  callEndpoint,
  tokenFromResponse,
  tokenResponseSchema,
  withParentToken,
  type FetchContext,
  type Token,
  type TokenRequest,
} from '@fintoken/core';
import { parseLayerError } from './apiError.js';

export interface BusinessTokenCall {
  apiUrl: string;
  businessId: string;
  sessionDuration: number | undefined;
  /** The client token (a 401 asks for a forced refresh of it). */
  clientToken: (request?: TokenRequest) => Promise<Token>;
}

/**
 * Create business auth token: `POST {apiUrl}/v1/businesses/{businessId}/auth-token` with the
 * client token as Bearer and a JSON body (seed: layer-business-auth-token). The answer is an
 * `AuthToken`, "rather than a standard Layer API response object", so RFC 6749's shape applies.
 */
export function mintBusinessToken(call: BusinessTokenCall, { transport, key }: FetchContext): Promise<Token> {
  const { businessId, sessionDuration } = call;
  // session_duration is optional; left out, Layer applies its documented default of 3600 s.
  const body = JSON.stringify(sessionDuration === undefined ? {} : { session_duration: sessionDuration });
  const url = `${call.apiUrl}/v1/businesses/${encodeURIComponent(businessId)}/auth-token`;
  return withParentToken(transport, call.clientToken, async (clientToken) => {
    const headers = { authorization: bearer(clientToken), 'content-type': 'application/json', accept: 'application/json' };
    const spec = { schema: tokenResponseSchema, parseError: parseLayerError, name: 'auth-token endpoint', key };
    const answer = await callEndpoint({ url, method: 'POST', headers, body }, spec, transport);
    return tokenFromResponse(answer.body, answer.response, transport, { businessId, key });
  });
}
