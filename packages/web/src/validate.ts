import { ConfigurationError } from '@fintoken/core';

/**
 * Construction-time checks for this package's factories. Messages name the option and what is
 * wrong with it, never its value (a misplaced secret must not end up in a log). Core's zod-based
 * `parseOptions` is not used so this adapter needs no validation library of its own.
 */
export function checkOptions(factory: string, input: unknown, checks: Record<string, (value: unknown) => string | undefined>): void {
  if (typeof input !== 'object' || input === null) throw new ConfigurationError(`${factory}: options must be an object`);
  const options = input as Record<string, unknown>;
  const problems: string[] = [];
  for (const [field, check] of Object.entries(checks)) {
    const problem = check(options[field]);
    if (problem !== undefined) problems.push(`${field}: ${problem}`);
  }
  if (problems.length > 0) throw new ConfigurationError(`${factory}: invalid options: ${problems.join('; ')}`);
}

type Check = (value: unknown) => string | undefined;

const optional =
  (check: Check): Check =>
  (value) =>
    value === undefined ? undefined : check(value);

export const fn: Check = (value) => (typeof value === 'function' ? undefined : 'is required and must be a function');
export const optionalFn: Check = optional((value) => (typeof value === 'function' ? undefined : 'must be a function'));

export const positiveInteger: Check = (value) =>
  typeof value === 'number' && Number.isInteger(value) && value > 0 ? undefined : 'must be a positive integer';
export const optionalPositiveInteger: Check = optional(positiveInteger);

export const tokenClient: Check = (value) =>
  typeof value === 'object' && value !== null && typeof (value as { getToken?: unknown }).getToken === 'function'
    ? undefined
    : 'is required and must be a TokenClient (an object with getToken)';

/** Check a nested options object, prefixing its fields. */
export const optionalObject = (checks: Record<string, Check>): Check =>
  optional((value) => {
    if (typeof value !== 'object' || value === null) return 'must be an object';
    const problems = Object.entries(checks)
      .map(([field, check]) => {
        const problem = check((value as Record<string, unknown>)[field]);
        return problem === undefined ? undefined : `${field} ${problem}`;
      })
      .filter((p) => p !== undefined);
    return problems.length === 0 ? undefined : problems.join(', ');
  });

export const optionalBoolean: Check = optional((value) => (typeof value === 'boolean' ? undefined : 'must be a boolean'));
