import type { PeerDefinition } from './types.js';

interface Cached {
  accessToken: string;
  expiresAt: number;
}

/**
 * The hand-rolled client most codebases carry: `fetch` plus a `Map` cache keyed by client,
 * trusting `expires_in`, with no single-flight (concurrent misses each request a token).
 */
export const typical: PeerDefinition = {
  name: 'typical fetch + Map',
  api: 'async getToken()',
  caching: 'cache',
  create({ tokenUrl, clientId, clientSecret }) {
    const cache = new Map<string, Cached>();
    async function getToken(): Promise<string> {
      const hit = cache.get(clientId);
      if (hit !== undefined && hit.expiresAt > Date.now()) return hit.accessToken;
      const response = await fetch(tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }),
      });
      if (!response.ok) throw new Error(`token request failed: ${response.status}`);
      const body = (await response.json()) as { access_token: string; expires_in: number };
      cache.set(clientId, { accessToken: body.access_token, expiresAt: Date.now() + body.expires_in * 1000 });
      return body.access_token;
    }
    return { getToken, read: (token) => token as string };
  },
};
