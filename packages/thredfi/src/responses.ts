import * as z from '@fintoken/core/schema';

/** seed: components.schemas.BusinessTokenResponse (required: access_token, business_id, expires_in, scope). */
export const businessTokenResponseSchema = z.object({
  access_token: z.string().check(z.minLength(1)),
  token_type: z._default(z.string().check(z.minLength(1)), 'Bearer'),
  expires_in: z.int(),
  scope: z.string(),
  business_id: z.string(),
});
