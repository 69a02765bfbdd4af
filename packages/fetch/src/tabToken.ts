import { createToken, type Token } from '@fintoken/core/cache';

/** A JWT's `exp` in epoch ms, or NaN (an opaque token). Read to bound a life, never trusted for auth. */
const jwtExpiry = (accessToken: string): number => {
  try {
    // RFC 7519 §4.1.4; the payload is base64url (RFC 7515 §2), which atob reads once translated.
    return (JSON.parse(atob(accessToken.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as { exp: number }).exp * 1000;
  } catch {
    return NaN;
  }
};

/**
 * A token heard from another tab, checked before this tab keeps it; undefined means ignore it.
 * Another tab's message is data, not a token this tab fetched: it must be a well-formed token
 * (a structured clone, so re-wrapped to hide it from logs again), still valid, for `businessId`
 * when the page said which business it expects, and it never outlives what this tab can check:
 * the token's own JWT `exp`, and the expiry this tab already holds for the same token. So a tab
 * can share a token, but not extend its life or hand over one for another business.
 */
export function acceptTabToken(data: unknown, businessId: string | undefined, held: Token | undefined, now: number): Token | undefined {
  const { accessToken, expiresAt, issuedAt, businessId: business } = (data ?? {}) as Partial<Record<keyof Token, unknown>>;
  if (
    typeof accessToken !== 'string' ||
    !accessToken ||
    typeof expiresAt !== 'number' ||
    (issuedAt !== undefined && typeof issuedAt !== 'number') ||
    (businessId === undefined ? business !== undefined && typeof business !== 'string' : business !== businessId)
  ) {
    return undefined;
  }
  const capped = Math.min(expiresAt, jwtExpiry(accessToken) || Infinity, held?.accessToken === accessToken ? held.expiresAt : Infinity);
  return capped > now
    ? createToken({ accessToken, tokenType: 'Bearer', expiresAt: capped, issuedAt: issuedAt as number | undefined, businessId: business as string | undefined })
    : undefined;
}
