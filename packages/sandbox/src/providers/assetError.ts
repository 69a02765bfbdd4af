import { STATUS_CODES } from 'node:http';
import { json, type Reply } from '../http.js';

/** Asset's ErrorResponse `{error, data}`; both are required (seed: asset-access-token). */
export function assetError(status: number, error: string, data: unknown = null): Reply {
  return json(status, { error, data });
}

/** A bare status (unknown route, 405, 413, injected fault) as an ErrorResponse. */
export function assetErrorForStatus(status: number, description: string): Reply {
  return assetError(status, STATUS_CODES[status] ?? `HTTP ${status}`, { detail: description });
}

/** One failed field, in the shape FastAPI (which serves this OpenAPI document) reports validation errors. */
export interface ValidationIssue {
  loc: Array<string | number>;
  msg: string;
  type: string;
}

export function validationError(issues: ValidationIssue[]): Reply {
  return assetError(422, 'Request validation failed', issues);
}
