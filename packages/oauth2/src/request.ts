import { InvalidRequestError } from '@fintoken/core';
import type { FormFields } from '@fintoken/core/provider';
import type { ListOption, OAuth2ClientOptions, OAuth2TokenRequest, TokenParameters } from './types.js';

// Fields the client writes itself: a parameter of the same name would change how it
// authenticates or what it asks for behind the options' back.
const RESERVED = new Set(['grant_type', 'client_id', 'client_secret', 'client_assertion', 'client_assertion_type', 'scope', 'resource', 'audience']);

export function reservedParameter(name: string): boolean {
  return RESERVED.has(name.toLowerCase());
}

/** What a token request asks for: the request's own values, else the client's. */
export interface Asked {
  scope: ListOption | undefined;
  resource: ListOption | undefined;
  audience: ListOption | undefined;
  parameters: TokenParameters;
}

export function asked(defaults: OAuth2ClientOptions, request: OAuth2TokenRequest): Asked {
  return {
    scope: request.scope ?? defaults.scope,
    resource: request.resource ?? defaults.resource,
    audience: request.audience ?? defaults.audience,
    parameters: { ...defaults.parameters, ...request.parameters },
  };
}

/**
 * RFC 6749 §4.4.2: `grant_type`, then `scope` (space-delimited, §3.3), `resource` (repeated, RFC 8707
 * §2), `audience` and the extra fields.
 */
export function requestFields(what: Asked): FormFields {
  const scope = items(what.scope);
  return {
    grant_type: 'client_credentials',
    scope: scope.length === 0 ? undefined : scope.join(' '),
    resource: items(what.resource),
    audience: items(what.audience),
    ...what.parameters,
  };
}

function items(value: ListOption | undefined): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).flatMap((v) => v.split(/\s+/)).filter((v) => v !== '');
}

/** The request's own parts of the cache key that core does not add (it adds scope and resource). */
export function requestKeyPart(request: OAuth2TokenRequest): unknown[] {
  const part: unknown[] = [];
  if (request.audience !== undefined) part.push(['a', [...items(request.audience)].sort()]);
  if (request.parameters !== undefined) part.push(['p', sortedEntries(request.parameters)]);
  return part;
}

export function sortedEntries(parameters: TokenParameters | undefined): Array<[string, string | string[]]> {
  return Object.entries(parameters ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Checks a `getToken` request's own fields (core checked scope, resource and the control fields). */
export function validateRequest(provider: string, request: OAuth2TokenRequest): void {
  const fail = (what: string): never => {
    throw new InvalidRequestError(`${provider} getToken: ${what}; nothing was sent`, { provider });
  };
  const { audience, parameters } = request;
  if (audience !== undefined && !isList(audience)) fail('audience must be a non-empty string or an array of them');
  if (parameters === undefined) return;
  if (typeof parameters !== 'object' || parameters === null || Array.isArray(parameters)) fail('parameters must be an object of strings');
  for (const [name, value] of Object.entries(parameters)) {
    if (reservedParameter(name)) fail(`parameters.${name} is set by the client itself`);
    if (typeof value !== 'string' && !(Array.isArray(value) && value.every((v) => typeof v === 'string'))) fail(`parameters.${name} must be a string or an array of strings`);
    if ((Array.isArray(value) ? value : [value]).some((v) => !wellFormed(v))) fail(`parameters.${name} must be well-formed text`);
  }
}

function isList(value: unknown): boolean {
  const all = Array.isArray(value) ? value : [value];
  return all.length > 0 && all.every((v) => typeof v === 'string' && v !== '' && wellFormed(v));
}

// A lone surrogate cannot be form-encoded: encodeURIComponent throws on it (ECMA-262 Encode).
function wellFormed(value: string): boolean {
  try {
    encodeURIComponent(value);
    return true;
  } catch {
    return false;
  }
}
