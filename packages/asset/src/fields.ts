import { z } from 'zod';
import { isResourceIndicator, isScopeValue } from './resource.js';

// One zod schema per request field, shared by the factory's defaults and by getToken's arguments.

/** `scope`: a space-separated string or a list of scopes (seed: "Space-separated list of requested scopes"). */
export const scopeField = z.union([z.string(), z.array(z.string())]).superRefine((value, ctx) => {
  for (const item of Array.isArray(value) ? value : [value]) {
    if (item.trim() !== '' && !isScopeValue(item)) {
      ctx.addIssue({ code: 'custom', message: 'must be RFC 6749 §3.3 scope tokens (printable ASCII, no quotes or backslashes)' });
      return;
    }
  }
});

/** `resource`: one or more RFC 8707 resource indicators. */
export const resourceField = z.union([z.string(), z.array(z.string())]).superRefine((value, ctx) => {
  const items = Array.isArray(value) ? value : [value];
  items.forEach((item, index) => {
    if (!isResourceIndicator(item)) {
      ctx.addIssue({
        code: 'custom',
        path: Array.isArray(value) ? [index] : [],
        message: 'must be an absolute URI without a fragment (RFC 8707 §2)',
      });
    }
  });
});

/** `expires_in` of the request: seed `type: integer, exclusiveMinimum: 0`, in seconds. */
export const expiresInField = z.number().int().positive();

/** Asset business ids look like `biz_GA6EG2qFxA97NZHtxeLPUy` (seed example); any non-blank string is sent. */
export const businessIdField = z.string().regex(/^\S+$/, 'must be a non-empty string without whitespace');
