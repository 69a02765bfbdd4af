import type * as z from 'zod/mini';

// zod/mini loads no locale (that would be a global side effect on the application's zod), so its
// issues say "Invalid input" unless a schema gave a message: the words come from here instead,
// from the issue's code and limits, never from the value that failed (it may be a secret).
const GENERIC = 'Invalid input';

const AN = /^[aeiou]/;
const article = (what: string) => `${AN.test(what) ? 'an' : 'a'} ${what}`;

const FORMATS: Record<string, string> = { guid: 'a UUID', uuid: 'a UUID', url: 'a URL', regex: 'in the expected format' };

/** What is wrong, in words: the schema's own message when it has one. */
export function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.message !== GENERIC && issue.message !== '') return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      return `must be ${article(issue.expected === 'int' ? 'integer' : issue.expected)}`;
    case 'too_small': {
      const { origin, minimum, inclusive } = issue as z.core.$ZodIssueTooSmall;
      if (origin === 'string') return Number(minimum) <= 1 ? 'must not be empty' : `must be at least ${minimum} characters`;
      if (origin === 'array') return `must have at least ${minimum} items`;
      if (Number(minimum) === 0) return inclusive ? 'must not be negative' : 'must be positive';
      return `must be ${inclusive ? 'at least' : 'more than'} ${minimum}`;
    }
    case 'too_big': {
      const { origin, maximum, inclusive } = issue as z.core.$ZodIssueTooBig;
      if (origin === 'string') return `must be at most ${maximum} characters`;
      if (origin === 'array') return `must have at most ${maximum} items`;
      return `must be ${inclusive ? 'at most' : 'less than'} ${maximum}`;
    }
    case 'invalid_value':
      return `must be ${issue.values.map((v) => (typeof v === 'string' ? `'${v}'` : String(v))).join(' or ')}`;
    case 'invalid_format':
      return `must be ${FORMATS[issue.format] ?? article(issue.format)}`;
    case 'unrecognized_keys':
      return `unknown option${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    case 'invalid_union': {
      const expected = issue.errors.flatMap((errors) => errors.filter((e) => e.code === 'invalid_type').map((e) => (e as { expected: string }).expected));
      return expected.length === issue.errors.length ? `must be ${expected.map(article).join(' or ')}` : 'is not valid';
    }
    default:
      return 'is not valid';
  }
}
