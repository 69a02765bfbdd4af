/**
 * RFC 8707 §2: a resource indicator "MUST be an absolute URI" and "MUST NOT include a fragment
 * component" (seed asset-access-token repeats both). Checked before any request is sent.
 */
export function isResourceIndicator(value: string): boolean {
  // RFC 3986 §3.1 scheme, then something; raw whitespace is never part of a URI.
  if (!/^[a-z][a-z0-9+.-]*:\S+$/i.test(value) || value.includes('#')) return false;
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

// RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ), separated by single spaces.
const SCOPE_TOKENS = /^[\x21\x23-\x5b\x5d-\x7e]+(?:\s+[\x21\x23-\x5b\x5d-\x7e]+)*$/;

/** A scope value: one or more RFC 6749 §3.3 scope tokens, whitespace-separated. */
export function isScopeValue(value: string): boolean {
  return SCOPE_TOKENS.test(value.trim());
}
