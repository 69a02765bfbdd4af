import { InvalidRequestError, type TokenRequest } from '@fintoken/core';
import { isUuid } from '@fintoken/core/provider';

/** Refuse a business id Thredfi cannot take before a single byte is sent; values are never echoed. */
export function validateThredfiRequest(request: TokenRequest): void {
  // seed: the path parameter business_id is `format: uuid`; 8-4-4-4-12 hex, any version.
  if (request.businessId !== undefined && !isUuid(request.businessId)) {
    throw new InvalidRequestError('thredfi getToken: businessId must be a UUID (the business_id path parameter is format uuid)', {
      provider: 'thredfi',
    });
  }
}
