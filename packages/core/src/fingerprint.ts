/**
 * The header a browser sends with a token request after the API rejected its token, carrying
 * that token's fingerprint, so the server refreshes a token the provider revoked early instead
 * of handing the same cached one back.
 */
export const REJECTED_TOKEN_HEADER = 'x-fintoken-rejected';

/**
 * A one-way fingerprint of an access token: base64url of the first 16 bytes of its SHA-256.
 * Safe to send and log: it identifies a token without revealing it. Web Crypto, so it runs in
 * browsers, edge runtimes and Node 20 alike.
 */
export async function tokenFingerprint(accessToken: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(accessToken));
  // 16 bytes are 22 base64 characters plus '==' padding, dropped as RFC 4648 §5 base64url allows.
  return btoa(String.fromCharCode(...new Uint8Array(digest, 0, 16)))
    .slice(0, 22)
    .replace(/\+/g, '-')
    .replace(/\//g, '_');
}
