import type { ErrorDetails } from '@fintoken/core/provider';
import * as z from '@fintoken/core/schema';

/** Seed `ErrorResponse`: `error` is "A description of the error"; `data` is anything, often the input. */
const assetErrorSchema = z.object({
  error: z.nullable(z.string()),
  data: z.unknown(),
});

// `invalid_client`, `business_not_found`, `FORBIDDEN`: a code, not a sentence.
const CODE_LIKE = /^(?:[a-z][a-z0-9]*(?:[_.:-][a-z0-9]+)*|[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*)$/;
const FIELD_NAME = /^[A-Za-z_][\w.-]{0,63}$/;

/**
 * Read an Asset `{error, data}` body. `data` is never copied (it may echo the request, secret
 * included); only the field names of a FastAPI validation error (`[{loc, msg, type}]`) are kept.
 */
export function parseAssetError(_status: number, body: unknown): ErrorDetails | undefined {
  const parsed = assetErrorSchema.safeParse(body);
  if (!parsed.success) return undefined;
  const { error, data } = parsed.data;
  const fields = invalidFields(data);
  const details: ErrorDetails = {};
  if (error !== null && error.length <= 100 && CODE_LIKE.test(error)) details.code = error;
  else if (error !== null) details.description = error;
  if (fields.length > 0) details.description = `${details.description ?? 'invalid request'} (fields: ${fields.join(', ')})`;
  return details;
}

function invalidFields(data: unknown): string[] {
  if (!Array.isArray(data)) return [];
  const fields = new Set<string>();
  for (const item of data.slice(0, 20)) {
    const loc: unknown = (item as { loc?: unknown } | null)?.loc;
    if (!Array.isArray(loc)) continue;
    // FastAPI prefixes the location with where it was read from.
    const path = loc.filter((part, i) => !(i === 0 && part === 'body'));
    if (path.length > 0 && path.every((p) => (typeof p === 'string' && FIELD_NAME.test(p)) || Number.isInteger(p))) fields.add(path.join('.'));
  }
  return [...fields];
}
