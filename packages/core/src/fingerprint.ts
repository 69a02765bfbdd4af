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
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(accessToken)));
  let binary = '';
  for (const byte of digest.subarray(0, 16)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
