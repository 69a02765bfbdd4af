import { InvalidRequestError, type TokenRequest } from '@fintoken/core';
import { isUuid } from '@fintoken/core/provider';

/** What `getToken` accepts: Layer adds the business token's session duration. */
export interface LayerTokenRequest extends TokenRequest {
  /**
   * Seconds the business token is valid (`session_duration`). Omitted by default, so Layer
   * applies its own default of 3600 (seed). Part of the cache key.
   */
  sessionDuration?: number;
}

const invalid = (message: string) => new InvalidRequestError(`layer getToken: ${message}`, { provider: 'layer' });

/** Reject a malformed request before anything is sent. Values are never echoed. */
export function validateLayerRequest(request: LayerTokenRequest): void {
  const { businessId, sessionDuration } = request;
  // seed: businessId is "The UUID of the business to create a business-scoped auth token for".
  if (businessId !== undefined && !isUuid(businessId)) {
    throw invalid('businessId must be a UUID');
  }
  if (sessionDuration !== undefined) {
    if (businessId === undefined) throw invalid('sessionDuration applies to business tokens; pass a businessId');
    // seed: NewBusinessAuthTokenParams.session_duration is an int64 number of seconds.
    if (!Number.isSafeInteger(sessionDuration) || sessionDuration <= 0) throw invalid('sessionDuration must be a positive integer of seconds');
  }
}

/** Session duration is part of what the token is, so it is part of its cache key. */
export const layerKeyExtra = (request: LayerTokenRequest): string | undefined =>
  request.sessionDuration === undefined ? undefined : `session_duration=${request.sessionDuration}`;
