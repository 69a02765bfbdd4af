import {
  bearer,
  callEndpoint,
  ResponseValidationError,
  tokenFromResponse,
  withParentToken,
  type FetchContext,
  type Token,
  type TokenRequest,
} from '@fintoken/core';
import { z } from 'zod';

// seed: components.schemas.BusinessTokenResponse (required: access_token, business_id, expires_in, scope).
const businessTokenResponse = z.object({
  access_token: z.string().min(1),
  token_type: z.string().min(1).default('Bearer'),
  expires_in: z.number().int(),
  scope: z.string(),
  business_id: z.string(),
});

/**
 * Exchange the partner token for a business-scoped one:
 * `POST {baseUrl}/v1/platform/{business_id}/oauth2/token/` with the partner Bearer and no body
 * (seed: thredfi-business-scoped-token, "Step 2").
 */
export function fetchBusinessToken(
  baseUrl: string,
  businessId: string,
  partnerToken: (request?: TokenRequest) => Promise<Token>,
  context: FetchContext,
): Promise<Token> {
  const { transport } = context;
  const url = `${baseUrl}/v1/platform/${encodeURIComponent(businessId)}/oauth2/token/`;
  return withParentToken(transport, partnerToken, async (partner) => {
    const { body, response } = await callEndpoint(
      { url, method: 'POST', headers: { authorization: bearer(partner), accept: 'application/json' } },
      { schema: businessTokenResponse, name: 'business token endpoint', key: context.key },
      transport,
    );
    // A token for another business must never be cached under this one (UUIDs compare case-insensitively).
    if (body.business_id.toLowerCase() !== businessId.toLowerCase()) {
      throw new ResponseValidationError('The thredfi business token endpoint returned a token for a different business than requested', {
        provider: 'thredfi',
        field: 'business_id',
        status: response.status,
      });
    }
    return tokenFromResponse(body, response, transport, { businessId, key: context.key });
  });
}
