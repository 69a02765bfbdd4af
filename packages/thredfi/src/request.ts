import { InvalidRequestError, type TokenRequest } from '@fintoken/core';
import { z } from 'zod';

// seed: the path parameter business_id is `format: uuid`; 8-4-4-4-12 hex, any version.
const businessIdSchema = z.guid();

/** Refuse a business id Thredfi cannot take before a single byte is sent; values are never echoed. */
export function validateThredfiRequest(request: TokenRequest): void {
  if (request.businessId === undefined) return;
  if (!businessIdSchema.safeParse(request.businessId).success) {
    throw new InvalidRequestError('thredfi getToken: businessId must be a UUID (the business_id path parameter is format uuid)', {
      provider: 'thredfi',
    });
  }
}
