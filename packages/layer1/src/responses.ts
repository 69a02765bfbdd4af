import * as z from '@fintoken/core/schema';

/**
 * Keycloak's client-credentials response, as the seed shows it:
 * `{access_token, expires_in: 300, refresh_expires_in: 0, token_type: "Bearer", "not-before-policy": 0, scope}`.
 * The three fields fintoken does not use are checked when present but not required, so a
 * Keycloak version that drops one still works.
 */
export const keycloakTokenResponseSchema = z.object({
  access_token: z.string().check(z.minLength(1)),
  // Seed: "valid for a limited time (specified by expires_in in seconds)".
  expires_in: z.int().check(z.positive()),
  token_type: z.string().check(z.minLength(1)),
  refresh_expires_in: z.optional(z.int().check(z.nonnegative())),
  'not-before-policy': z.optional(z.int().check(z.nonnegative())),
  // Seed: "tenants:view transactions:edit ... networks:view", space-separated.
  scope: z.optional(z.string()),
});
