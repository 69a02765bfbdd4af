import * as z from '@fintoken/core/schema';

/** Seed `AccessToken`: `access_token` and `expires_in` required, `token_type` defaults to Bearer. */
export const assetTokenResponseSchema = z.object({
  access_token: z.string().check(z.minLength(1)),
  token_type: z.optional(z.string().check(z.minLength(1))),
  // Seed: "The token expiration time as a unix timestamp (seconds)", not a duration.
  expires_in: z.int(),
});
