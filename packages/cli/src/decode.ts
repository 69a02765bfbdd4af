import { InvalidRequestError } from '@fintoken/core';
import { decodeJwt, decodeProtectedHeader, type JWTPayload, type ProtectedHeaderParameters } from 'jose';
import { describeExpiry, describeSince, formatDuration, formatLocalTime } from './time.js';

export const NOT_VERIFIED = 'Signature NOT verified: this shows what the token claims, not that it is genuine or unaltered.';

export interface DecodedJwt {
  header: ProtectedHeaderParameters;
  claims: JWTPayload;
}

/**
 * Accept what `fintoken token --header` prints as well as a bare JWT, so
 * `fintoken token layer --header | fintoken decode -` works.
 */
function stripPrefix(input: string): string {
  return input
    .trim()
    .replace(/^Authorization:\s*/i, '')
    .replace(/^Bearer\s+/i, '')
    .trim();
}

/**
 * Decode a JWT WITHOUT verifying its signature (jose `decodeProtectedHeader` / `decodeJwt`).
 * The error never quotes the input: it may be a live token.
 */
export function decodeToken(input: string): DecodedJwt {
  const jwt = stripPrefix(input);
  try {
    return { header: decodeProtectedHeader(jwt), claims: decodeJwt(jwt) };
  } catch (error) {
    const reason = error instanceof Error && /JWE/.test(error.message) ? 'an encrypted JWE cannot be decoded without its key' : 'expected a JWS in compact form, header.payload.signature, each base64url JSON';
    throw new InvalidRequestError(`decode: not a JWT (${reason})`);
  }
}

const timeLine = (label: string, seconds: unknown, describe: (ms: number) => string): string[] =>
  typeof seconds === 'number' && Number.isFinite(seconds)
    ? [`${label.padEnd(11)}${formatLocalTime(seconds * 1000)}  (${describe(seconds * 1000)})`]
    : [];

/** Human-readable: the warning first, then header, claims and the RFC 7519 §4.1 times in local time. */
export function formatDecoded({ header, claims }: DecodedJwt, nowMs: number): string {
  return [
    NOT_VERIFIED,
    '',
    'Header',
    JSON.stringify(header, null, 2),
    '',
    'Claims',
    JSON.stringify(claims, null, 2),
    '',
    ...timeLine('Issued', claims.iat, (ms) => describeSince(ms, nowMs)),
    ...timeLine('Not before', claims.nbf, (ms) => (ms <= nowMs ? 'valid now' : `not valid for another ${formatDuration(ms - nowMs)}`)),
    ...timeLine('Expires', claims.exp, (ms) => describeExpiry(ms, nowMs)),
    ...(claims.exp === undefined ? ['Expires    never (no exp claim)'] : []),
    '',
  ].join('\n');
}

/** `--json`: the same, for scripts; `verified: false` spells out the warning. */
export function formatDecodedJson({ header, claims }: DecodedJwt, nowMs: number): string {
  const exp = typeof claims.exp === 'number' ? claims.exp * 1000 : undefined;
  return `${JSON.stringify(
    {
      verified: false,
      header,
      claims,
      ...(exp === undefined ? {} : { expiresAt: new Date(exp).toISOString(), expired: exp <= nowMs, expiresInSeconds: Math.round((exp - nowMs) / 1000) }),
    },
    null,
    2,
  )}\n`;
}
