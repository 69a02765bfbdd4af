// @fintoken/core/schema: the zod/mini functions fintoken's schemas are written with, for provider
// packages: `import * as z from '@fintoken/core/schema'`. zod stays the source of truth for every
// shape; core's build bundles the parts used here (tree-shaken: ~22 kB minified instead of all of
// zod's core and its 64 locales), so a cold start no longer pays zod's ~40 ms import (bench:
// import-time, cold-start). Types come from zod itself.
export {
  _default,
  array,
  boolean,
  custom,
  enum,
  guid,
  int,
  literal,
  looseObject,
  maximum,
  minimum,
  minLength,
  nonnegative,
  nullable,
  nullish,
  number,
  object,
  optional,
  positive,
  record,
  refine,
  regex,
  safeParse,
  strictObject,
  string,
  superRefine,
  union,
  unknown,
} from 'zod/mini';
export type { infer, input, output, ZodMiniType } from 'zod/mini';
export type * as core from 'zod/v4/core';
