import { parseOAuthError, type ErrorDetails } from '@fintoken/core/provider';

/**
 * Keycloak errors are RFC 6749 §5.2 `{error, error_description}`. Only `invalid_client` means
 * the credentials are wrong; `unauthorized_client` (§5.2: "not authorized to use this
 * authorization grant type") is a realm setting to fix, not a secret to rotate.
 */
export function parseKeycloakError(status: number, body: unknown): ErrorDetails | undefined {
  const details = parseOAuthError(status, body);
  return details === undefined ? undefined : { ...details, authentication: details.code === 'invalid_client' };
}
