import * as z from 'zod/mini';
import { base64Utf8 } from './bytes.js';
import { ResponseValidationError } from './errors.js';
import { computeExpiry } from './expiry.js';
import { decodeJwtClaims } from './jwt.js';
import type { HttpRequestInit, HttpResponse } from './http.js';
import { callEndpoint, type EndpointSpec } from './tokenEndpoint.js';
import { createToken } from './token.js';
import type { Transport } from './transport.js';
import type { Token } from './types.js';

/** RFC 6749 §5.1 successful token response; extra members are allowed and ignored. */
export const tokenResponseSchema = z.object({
  access_token: z.string().check(z.minLength(1)),
  token_type: z.optional(z.string().check(z.minLength(1))),
  // §5.1: RECOMMENDED, not required (zod 4 numbers are finite).
  expires_in: z.optional(z.number()),
  scope: z.optional(z.string()),
});

export type TokenResponse = z.infer<typeof tokenResponseSchema>;

export type FormFields = Record<string, string | readonly string[] | undefined>;

export interface ClientCredentialsOptions {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /**
   * RFC 6749 §2.3.1. `client_secret_basic` sends `id:secret` in a Basic header exactly as the
   * providers' docs do (`curl -u`), `client_secret_post` sends both as form fields.
   */
  authMethod: 'client_secret_basic' | 'client_secret_post';
  /** Also send `client_id` as a form field with Basic auth (Layer asks for it). */
  clientIdInBody?: boolean;
  /** More form fields (e.g. `scope`); arrays repeat the field, undefined is left out. */
  fields?: FormFields;
}

/** Encode form fields in order; an array value repeats its name (RFC 8707 `resource`). */
export function encodeForm(fields: FormFields): string {
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    if (typeof value === 'string') form.append(name, value);
    else for (const v of value) form.append(name, v);
  }
  return form.toString();
}

/** RFC 6749 §4.4.2 Access Token Request for the client credentials grant. */
export function clientCredentialsRequest(options: ClientCredentialsOptions): HttpRequestInit {
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
  };
  const fields: FormFields = { grant_type: 'client_credentials' };
  if (options.authMethod === 'client_secret_basic') {
    headers.authorization = `Basic ${base64Utf8(`${options.clientId}:${options.clientSecret}`)}`;
    if (options.clientIdInBody === true) fields.client_id = options.clientId;
  } else {
    fields.client_id = options.clientId;
    fields.client_secret = options.clientSecret;
  }
  return { url: options.tokenUrl, method: 'POST', headers, body: encodeForm({ ...fields, ...options.fields }) };
}

export interface TokenFromResponseOptions {
  /** `absolute` for providers whose `expires_in` is a unix time (Asset). */
  expiresInMode?: 'relative' | 'absolute';
  businessId?: string | undefined;
  /** A response field naming the business the token was minted for (Thredfi `business_id`): it must be the one asked for. */
  businessField?: string | undefined;
  /** Named in the message of a refused answer: `business token endpoint`. Default `token endpoint`. */
  name?: string | undefined;
  key?: string | undefined;
}

/** Turn a validated token response into a `Token`, computing its local expiry. */
export function tokenFromResponse(body: TokenResponse, response: HttpResponse, transport: Transport, options: TokenFromResponseOptions = {}): Token {
  const expiry = computeExpiry({
    receivedAt: response.receivedAt,
    expiresIn: body.expires_in,
    mode: options.expiresInMode ?? 'relative',
    dateHeader: response.headers.date,
    accessToken: body.access_token,
    ...(transport.safetyMarginMs === undefined ? {} : { safetyMarginMs: transport.safetyMarginMs }),
  });
  if (expiry.adjustment !== undefined) {
    transport.emit({
      type: 'token.expiry_adjusted',
      reason: expiry.adjustment,
      expiresAt: expiry.expiresAt,
      ...(options.key === undefined ? {} : { key: options.key }),
      message:
        expiry.adjustment === 'absolute-looked-like-duration'
          ? 'expires_in was documented as a unix timestamp but looked like a duration; treated it as seconds from now'
          : expiry.adjustment === 'jwt-exp-earlier'
            ? "the JWT's exp claim is earlier than expires_in; using exp"
            : 'no expires_in in the response; using the JWT exp or the default lifetime',
    });
  }
  const token: Token = {
    accessToken: body.access_token,
    tokenType: body.token_type ?? 'Bearer',
    expiresAt: expiry.expiresAt,
    issuedAt: response.receivedAt,
  };
  if (body.scope !== undefined && body.scope !== '') token.scope = body.scope.split(/\s+/).filter(Boolean);
  if (options.businessId !== undefined) {
    const check = { businessId: options.businessId, status: response.status, provider: transport.provider, where: options.name ?? 'token endpoint' };
    if (options.businessField !== undefined) assertSameBusiness((body as Record<string, unknown>)[options.businessField], options.businessField, check);
    assertSameBusiness(decodeJwtClaims(body.access_token)?.business_id, 'access_token.business_id', check);
    token.businessId = options.businessId;
  }
  return createToken(token);
}

/**
 * Defence in depth for business isolation: where the answer names its business (a response field,
 * or a JWT's `business_id` claim as Thredfi's and the emulators' tokens carry), it must name the one
 * asked for; a token for another business is an error, never a cached token. An answer that names
 * none is taken as minted for the business in the request. Business ids (UUIDs) compare
 * case-insensitively.
 */
function assertSameBusiness(
  claimed: unknown,
  field: string,
  { businessId, status, provider, where }: { businessId: string; status: number; provider: string; where: string },
): void {
  if (claimed === undefined || (typeof claimed === 'string' && claimed.toLowerCase() === businessId.toLowerCase())) return;
  throw new ResponseValidationError(`The ${provider} ${where} returned a token for a different business than requested`, { provider, field, status });
}

/** Run the client credentials grant and return a `Token`. */
export async function fetchClientCredentialsToken<S extends z.core.$ZodType<TokenResponse> = typeof tokenResponseSchema>(
  options: ClientCredentialsOptions,
  transport: Transport,
  spec: Partial<EndpointSpec<S>> & TokenFromResponseOptions = {},
): Promise<Token> {
  const schema = (spec.schema ?? tokenResponseSchema) as S;
  const { body, response } = await callEndpoint(clientCredentialsRequest(options), { ...spec, schema }, transport);
  return tokenFromResponse(body as TokenResponse, response, transport, spec);
}
