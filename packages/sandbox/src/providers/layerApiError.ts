import { json, type Reply } from '../http.js';

/** ApiErrorType values this emulator uses (seed: layer-business-auth-token, ApiErrorType). */
export type LayerErrorType =
  | 'AuthFailure'
  | 'ResourceNotFound'
  | 'ResourceArchived'
  | 'InvalidParameters'
  | 'JsonSerialization'
  | 'BadRequest'
  | 'Conflict'
  | 'Unknown';

/** Layer's ApiError `{type, description, error_enum?}` (seed: layer-business-auth-token). */
export function layerApiError(status: number, type: LayerErrorType, description: string, errorEnum?: string): Reply {
  // error_enum is "only present for 4xx client errors, not included for 5xx" (seed: ApiError).
  const body = errorEnum !== undefined && status < 500 ? { type, description, error_enum: errorEnum } : { type, description };
  return json(status, body);
}

/** A bare status (unknown route, 405, 413, injected fault) as an ApiError. */
export function layerApiErrorForStatus(status: number, description: string): Reply {
  if (status === 401 || status === 403) return layerApiError(status, 'AuthFailure', description);
  if (status === 404) return layerApiError(status, 'ResourceNotFound', description, 'SpecifiedIdNotFound');
  if (status === 409) return layerApiError(status, 'Conflict', description);
  if (status === 413) return layerApiError(status, 'BadRequest', description, 'InvalidPayload');
  if (status === 429) return layerApiError(status, 'Unknown', description, 'ManualRateLimit');
  if (status >= 500) return layerApiError(status, 'Unknown', description);
  return layerApiError(status, 'BadRequest', description, 'SpecifiedBadRequest');
}
