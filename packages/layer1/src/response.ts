import { parseOAuthError, type ErrorDetails } from '@fintoken/core';
import { z } from 'zod';

/**
 * Keycloak's client-credentials response, as the seed shows it:
 * `{access_token, expires_in: 300, refresh_expires_in: 0, token_type: "Bearer", "not-before-policy": 0, scope}`.
 * The three fields fintoken does not use are checked when present but not required, so a
 * Keycloak version that drops one still works.
 */
export const keycloakTokenResponseSchema = z.object({
  access_token: z.string().min(1),
  // Seed: "valid for a limited time (specified by expires_in in seconds)".
  expires_in: z.number().int().positive(),
  token_type: z.string().min(1),
  refresh_expires_in: z.number().int().nonnegative().optional(),
  'not-before-policy': z.number().int().nonnegative().optional(),
  // Seed: "tenants:view transactions:edit ... networks:view", space-separated.
  scope: z.string().optional(),
});

/**
 * Keycloak errors are RFC 6749 §5.2 `{error, error_description}`. Only `invalid_client` means
 * the credentials are wrong; `unauthorized_client` (§5.2: "not authorized to use this
 * authorization grant type") is a realm setting to fix, not a secret to rotate.
 */
export function parseKeycloakError(status: number, body: unknown): ErrorDetails | undefined {
  const details = parseOAuthError(status, body);
  return details === undefined ? undefined : { ...details, authentication: details.code === 'invalid_client' };
}
