import fc from 'fast-check';
import { fakeJwt, type MockReply, type MockRequest } from './mockProvider.js';
import type { MockTarget } from './mockTargets.js';

/** A hostile or broken answer, built at request time from the local clock and the request. */
export interface Answer {
  describe: string;
  [fc.toStringMethod]?: () => string;
  build(now: number, request: MockRequest, target: MockTarget): MockReply;
}

const DELETE = Symbol('delete');

/** `expires_in`: a lifetime offset (made absolute for Asset) or a literal of any JSON type. */
const expiresIn = fc.oneof(
  fc.record({ offset: fc.oneof(fc.integer({ min: -7200, max: 7200 }), fc.constantFrom(0, -1, 1, 10, 60, 3600, 1e7, 1e12, 1e300)) }),
  fc.record({
    literal: fc.oneof(
      fc.constantFrom('3600', 'NaN', 'Infinity', '-1', '', ' 3600 ', '1e3', '0x10', null, true, false, [], {}, [3600], { value: 3600 }),
      fc.double(),
      fc.integer(),
      fc.constantFrom(Number.MAX_SAFE_INTEGER, 2 ** 53 + 2, -1e308, 1e308, 3600.5, -0),
    ),
  }),
);

/** `access_token`: a JWT whose exp is offset from now, or anything else at all. */
const accessToken = fc.oneof(
  fc.record({ jwtExpOffset: fc.constantFrom(-3600, -1, 0, 1, 59, 3600, 86_400, 1e9) }),
  fc.record({
    literal: fc.oneof(
      fc.string({ minLength: 0, maxLength: 40 }),
      fc.constantFrom('', ' ', 'opaque-token-canary-9d1e2f', 'x'.repeat(10_000), null, 42, true, {}, ['token']),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }),
    ),
  }),
);

const anyField = fc.oneof(fc.constantFrom(DELETE), fc.jsonValue({ maxDepth: 2 }), fc.constantFrom('Bearer', 'bearer', 'mac', '', 'business_access'));

const dateHeader = fc.constantFrom<'none' | 'now' | 'ahead' | 'behind' | 'garbage' | 'epoch'>('none', 'now', 'ahead', 'behind', 'garbage', 'epoch');
const status = fc.oneof({ arbitrary: fc.constant(200), weight: 3 }, { arbitrary: fc.constantFrom(201, 204, 400, 401, 403, 404, 422, 429, 500, 502, 503), weight: 1 });

/** Usually leave a field as documented (so the others get tested), sometimes break it. */
const sometimes = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary: arb, weight: 1 });

function dateValue(kind: string, now: number): string | undefined {
  switch (kind) {
    case 'now':
      return new Date(now).toUTCString();
    case 'ahead':
      return new Date(now + 600_000).toUTCString();
    case 'behind':
      return new Date(now - 600_000).toUTCString();
    case 'garbage':
      return 'yesterday, around lunch';
    case 'epoch':
      return new Date(0).toUTCString();
    default:
      return undefined;
  }
}

const headersFor = (kind: string, now: number): Record<string, string> => {
  const date = dateValue(kind, now);
  return date === undefined ? {} : { date };
};

/** The documented answer with fields replaced, removed or added. */
const mutated = fc
  .record({
    overrides: fc.record({
      access_token: sometimes(accessToken),
      expires_in: sometimes(expiresIn),
      token_type: sometimes(anyField),
      scope: sometimes(anyField),
      business_id: sometimes(anyField),
    }),
    extras: sometimes(fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 })),
    status,
    date: dateHeader,
  })
  .map(({ overrides, extras, status: code, date }): Answer => ({
    describe: `mutated ${JSON.stringify({ overrides, extras, code, date })}`,
    build(now, request, target) {
      const body: Record<string, unknown> = { ...target.validBody(now, request), ...(extras ?? {}) };
      const nowSec = Math.floor(now / 1000);
      for (const [field, value] of Object.entries(overrides)) {
        if (value === undefined) continue;
        if (value === DELETE) delete body[field];
        else if (field === 'expires_in' && 'offset' in (value as object)) {
          const offset = (value as { offset: number }).offset;
          body.expires_in = target.absoluteExpiry ? nowSec + offset : offset;
        } else if (field === 'access_token' && 'jwtExpOffset' in (value as object)) {
          body.access_token = fakeJwt({ sub: 'canary', exp: nowSec + (value as { jwtExpOffset: number }).jwtExpOffset });
        } else if (field === 'access_token' || field === 'expires_in') body[field] = (value as { literal: unknown }).literal;
        else body[field] = value;
      }
      return { status: code, json: body, headers: headersFor(date, now) };
    },
  }));

/** Any JSON document at all. */
const anyJson = fc.record({ value: fc.jsonValue(), status, date: dateHeader }).map(
  ({ value, status: code, date }): Answer => ({
    describe: `json ${JSON.stringify(value)}`,
    build: (now) => ({ status: code, json: value, headers: headersFor(date, now) }),
  }),
);

/** Not JSON: text, HTML error pages, an empty body. */
const notJson = fc
  .record({
    text: fc.oneof(
      fc.string(),
      fc.constantFrom('', '<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>', '{"access_token":', 'null', '[]', 'NaN', 'undefined'),
    ),
    contentType: fc.constantFrom('text/html', 'application/json', 'text/plain', undefined),
    status,
  })
  .map(
    ({ text, contentType, status: code }): Answer => ({
      describe: `raw ${JSON.stringify(text.slice(0, 60))}`,
      build: (): MockReply => ({ status: code, raw: text, headers: contentType === undefined ? {} : { 'content-type': contentType } }),
    }),
  );

/** Numbers JSON.stringify can't write: 1e400 parses as Infinity, 30 digits lose precision. */
const rawNumber = fc
  .record({ text: fc.constantFrom('1e400', '-1e400', '1E2', '-0', '0.0000001', '123456789012345678901234567890', '"3600"', 'null'), status })
  .map(
    ({ text, status: code }): Answer => ({
      describe: `raw expires_in ${text}`,
      build(now, request, target) {
        const { expires_in: _dropped, ...rest } = target.validBody(now, request);
        return { status: code, raw: `${JSON.stringify(rest).slice(0, -1)},"expires_in":${text}}`, headers: { 'content-type': 'application/json' } };
      },
    }),
  );

/** Every kind of answer, weighted towards near-valid ones (those reach the deepest code). */
export const answers: fc.Arbitrary<Answer> = fc
  .oneof({ arbitrary: mutated, weight: 6 }, { arbitrary: anyJson, weight: 1 }, { arbitrary: notJson, weight: 1 }, { arbitrary: rawNumber, weight: 1 })
  // Counterexamples print as what the provider answered, not as a closure.
  .map((answer) => ({ ...answer, [fc.toStringMethod]: () => answer.describe }));
