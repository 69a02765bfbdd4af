import { json, type Reply } from './http.js';

/**
 * RFC 6749 §5.2 error bodies `{error, error_description}`: Layer's auth server (whose errors the
 * seed does not document), Thredfi's OAuth2ErrorResponse and Keycloak (Layer1) all use this shape.
 */
export function oauthError(
  status: number,
  error: string,
  description: string,
  headers?: Record<string, string>,
): Reply {
  return json(status, { error, error_description: description }, headers);
}

/** RFC 6749 §5.2: a failed client authentication is 401 with a challenge for the scheme used. */
export function invalidClient(description: string, realm: string): Reply {
  return oauthError(401, 'invalid_client', description, { 'WWW-Authenticate': `Basic realm="${realm}"` });
}

/** RFC 6750 §3.1: error codes for a request to a Bearer-protected resource. */
export function bearerError(
  status: 401 | 403,
  description: string,
  realm: string,
): Reply {
  const error = status === 401 ? 'invalid_token' : 'insufficient_scope';
  return oauthError(status, error, description, {
    'WWW-Authenticate': `Bearer realm="${realm}", error="${error}"`,
  });
}

function codeForStatus(status: number, resource: boolean): string {
  if (status === 401) return resource ? 'invalid_token' : 'invalid_client';
  if (status === 403) return resource ? 'insufficient_scope' : 'unauthorized_client';
  if (status === 404) return 'not_found';
  if (status === 405) return 'invalid_request';
  // RFC 6749 §4.1.2.1 defines these two for server trouble; token endpoints use them too.
  if (status === 429 || status === 503) return 'temporarily_unavailable';
  if (status >= 500) return 'server_error';
  return 'invalid_request';
}

/** A bare status (404 route, 405, 413, injected fault) at a token endpoint. */
export function tokenEndpointError(status: number, description: string): Reply {
  return oauthError(status, codeForStatus(status, false), description);
}

/** A bare status at a Bearer-protected resource. */
export function resourceError(status: number, description: string): Reply {
  return oauthError(status, codeForStatus(status, true), description);
}
