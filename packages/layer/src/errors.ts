import { ProviderError } from '@fintoken/core';
import type { ErrorDetails } from '@fintoken/core/provider';
import * as z from '@fintoken/core/schema';
import { isLayerErrorEnum, type LayerErrorEnum } from './errorEnum.js';

// seed: layer-business-auth-token, components.schemas.ApiErrorType.
const API_ERROR_TYPES = [
  'ResourceArchived', 'AuthFailure', 'Plaid', 'Stripe', 'InvalidState', 'ResourceNotFound', 'InvalidParameters',
  'JsonSerialization', 'Unknown', 'BadRequest', 'PaginationCursor', 'Conflict', 'LedgerOperationFailed',
] as const;

/** `ApiError.type`: "a fixed category for the error" (seed: ApiErrorType). */
export type LayerApiErrorType = (typeof API_ERROR_TYPES)[number];

const knownTypes: ReadonlySet<string> = new Set(API_ERROR_TYPES);

/** Layer's `ApiError` body (seed: layer-business-auth-token, components.schemas.ApiError). */
const apiErrorSchema = z.object({
  type: z.string(),
  description: z.string(),
  // "Only present for 4xx client errors—not included for 5xx"; nullable in the seed.
  error_enum: z.nullish(z.string()),
});

/**
 * Read a Layer `ApiError` body. Anything else returns undefined and core falls back to its
 * RFC 6749 §5.2 reader: the seed documents no error body for the auth server, and proxies
 * answer in their own shapes.
 */
export function parseLayerError(_status: number, body: unknown): ErrorDetails | undefined {
  const parsed = apiErrorSchema.safeParse(body);
  if (!parsed.success) return undefined;
  const { type, description, error_enum } = parsed.data;
  return { code: type, type, errorEnum: error_enum ?? undefined, description, authentication: type === 'AuthFailure' };
}

/** A `ProviderError` (or its subclass `AuthenticationError`) made from a Layer `ApiError` body. */
export interface LayerApiError extends ProviderError {
  readonly provider: 'layer';
  readonly type: LayerApiErrorType;
  readonly errorEnum?: LayerErrorEnum;
}

/**
 * True when `error` came from a Layer `ApiError` body whose `type` (and `error_enum`, when
 * present) the seed documents, so a `switch` on them is exhaustive. A value Layer adds later
 * still reaches `error.type`/`error.errorEnum`; only this guard says false for it.
 *
 * @example
 * try { await layer.getBusinessToken(id) } catch (error) {
 *   if (isLayerApiError(error) && error.type === 'ResourceArchived') reactivate(id);
 * }
 */
export function isLayerApiError(error: unknown): error is LayerApiError {
  if (!(error instanceof ProviderError) || error.provider !== 'layer' || error.type === undefined) return false;
  return knownTypes.has(error.type) && (error.errorEnum === undefined || isLayerErrorEnum(error.errorEnum));
}
