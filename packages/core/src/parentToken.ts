import type * as z from 'zod/mini';
import { tokenFromResponse, tokenResponseSchema, type TokenResponse } from './clientCredentials.js';
import { AuthenticationError } from './errors.js';
import { callEndpoint, type EndpointSpec } from './tokenEndpoint.js';
import type { Transport } from './transport.js';
import type { Token, TokenRequest } from './types.js';

/**
 * A business-scoped token minted with the client's own token as the Bearer (Layer's auth-token
 * endpoint, Thredfi's business token endpoint): what differs between providers, as data.
 */
export interface ParentMintSpec<R extends TokenRequest = TokenRequest> {
  /** The minting endpoint's URL for one business; the id given is already URL-encoded. */
  url: (encodedBusinessId: string) => string;
  /** A JSON body (Layer: `{ session_duration }`), or undefined to send none (Thredfi). */
  body?: (request: R) => Record<string, unknown> | undefined;
  /** The answer's schema. Default RFC 6749 §5.1's. */
  schema?: z.core.$ZodType<TokenResponse>;
  /** Read the provider's error body (default RFC 6749 §5.2). */
  parseError?: EndpointSpec<z.core.$ZodType>['parseError'];
  /** Named in messages: `auth-token endpoint`. */
  name: string;
  /** A response field naming the business minted for (Thredfi `business_id`): it must be the one asked for. */
  businessField?: string;
}

/**
 * POST to the minting endpoint with the parent token as Bearer and turn the answer into a
 * business-scoped `Token` (its business checked against the request). A 401 means the parent
 * token was revoked or expired early: it is replaced once (shared with every concurrent caller,
 * and bounded like every rejection) and the mint tried once more.
 */
export function mintWithParent<R extends TokenRequest>(
  spec: ParentMintSpec<R>,
  request: R & { businessId: string },
  getParent: (request?: TokenRequest) => Promise<Token>,
  transport: Transport,
  key: string,
): Promise<Token> {
  const { businessId } = request;
  const url = spec.url(encodeURIComponent(businessId));
  const json = spec.body?.(request);
  const endpoint = { schema: spec.schema ?? tokenResponseSchema, parseError: spec.parseError, name: spec.name, key };
  return withParentToken(transport, getParent, async (parent) => {
    const headers: Record<string, string> = { authorization: bearer(parent), accept: 'application/json' };
    if (json !== undefined) headers['content-type'] = 'application/json';
    const init = json === undefined ? { url, method: 'POST' as const, headers } : { url, method: 'POST' as const, headers, body: JSON.stringify(json) };
    const { body, response } = await callEndpoint(init, endpoint, transport);
    return tokenFromResponse(body, response, transport, { businessId, businessField: spec.businessField, name: spec.name, key });
  });
}

/**
 * Run `call` with the parent token; if it answers 401, the parent token was revoked or expired
 * early, so refresh it once (shared with every concurrent caller) and try once more.
 */
export async function withParentToken<T>(
  transport: Transport,
  getParent: (request?: TokenRequest) => Promise<Token>,
  call: (parent: Token) => Promise<T>,
): Promise<T> {
  const parent = await getParent();
  transport.redact.add(parent.accessToken);
  try {
    return await call(parent);
  } catch (error) {
    if (!(error instanceof AuthenticationError) || error.status !== 401) throw error;
    const fresh = await getParent({ forceRefresh: true, rejectedToken: parent.accessToken });
    transport.redact.add(fresh.accessToken);
    return call(fresh);
  }
}

/** `Authorization: Bearer …` for a token, whatever case the provider gave `token_type`. */
export function bearer(token: Token): string {
  return `Bearer ${token.accessToken}`;
}
