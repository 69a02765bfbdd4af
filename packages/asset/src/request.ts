import type { TokenRequest } from '@fintoken/core';
import { encodeForm, normalizeList, parseRequest, resourceOption, scopeOption, type FormFields } from '@fintoken/core/provider';
import * as z from '@fintoken/core/schema';
import { businessIdOption, expiresInOption } from './options.js';

/** `getToken`'s argument: core's request plus Asset's `expires_in`. */
export interface AssetTokenRequest extends TokenRequest {
  /** Token lifetime to ask for, in seconds (a positive integer). */
  expiresIn?: number;
}

/** The client-wide defaults a request may replace, normalised once at construction. */
export interface AssetDefaults {
  scope: string[] | undefined;
  resource: string[] | undefined;
  expiresIn: number | undefined;
}

/** What `getToken` accepts beyond core's `TokenRequest`, validated before anything is sent. */
const requestSchema = z.object({
  businessId: z.optional(businessIdOption()),
  scope: z.optional(scopeOption()),
  resource: z.optional(resourceOption()),
  expiresIn: z.optional(expiresInOption()),
});

/** Reject a bad request before any request is sent; names the field, never the value. */
export function validateAssetRequest(request: AssetTokenRequest): void {
  parseRequest(requestSchema, request, 'asset getToken', 'asset');
}

/**
 * The form fields Asset's token endpoint takes beyond the credentials (seed
 * Body_get_oauth_token_v0_auth_token_post). A request's values replace the defaults; an empty
 * scope or resource list means "none".
 */
export function tokenFields(request: AssetTokenRequest, defaults: AssetDefaults): FormFields {
  const scope = request.scope === undefined ? defaults.scope : normalizeList(request.scope);
  const expiresIn = request.expiresIn ?? defaults.expiresIn;
  return {
    business_id: request.businessId,
    expires_in: expiresIn === undefined ? undefined : String(expiresIn),
    scope: scope?.join(' '),
    // RFC 8707 §2: one `resource` parameter per indicator.
    resource: request.resource === undefined ? defaults.resource : normalizeList(request.resource),
  };
}

/**
 * The parts of the cache key core cannot see: defaults that apply because the request left the
 * field out, and `expires_in`. Clients with other defaults sharing one store never share a token.
 */
export function defaultsKey(request: AssetTokenRequest, defaults: AssetDefaults): string | undefined {
  const expiresIn = request.expiresIn ?? defaults.expiresIn;
  const key = encodeForm({
    scope: request.scope === undefined ? defaults.scope?.join(' ') : undefined,
    resource: request.resource === undefined ? defaults.resource : undefined,
    expires_in: expiresIn === undefined ? undefined : String(expiresIn),
  });
  return key === '' ? undefined : key;
}
