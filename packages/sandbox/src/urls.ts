import type { ProviderName } from './endpoints.js';
import { layer1Realm } from './fixtures.js';
import type { SandboxJwks, SandboxUrls } from './types.js';

/** The origin clients should use; a wildcard bind address is reached through loopback. */
export function originFor(host: string, port: number): string {
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}

export interface Addresses {
  urls: SandboxUrls;
  jwks: SandboxJwks;
  /** Each provider's `iss`; Layer1's is the Keycloak realm URL, as Keycloak does. */
  issuers: Record<ProviderName, string>;
}

export function addressesFor(origin: string): Addresses {
  const realm = `${origin}/layer1/realms/${layer1Realm}`;
  const jwksUrl = `${realm}/protocol/openid-connect/certs`;
  return {
    urls: {
      layer: { authUrl: `${origin}/layer/oauth2/token`, apiUrl: `${origin}/layer` },
      thredfi: { baseUrl: `${origin}/thredfi` },
      asset: { baseUrl: `${origin}/asset` },
      layer1: { tokenUrl: `${realm}/protocol/openid-connect/token`, apiUrl: `${origin}/layer1`, jwksUrl },
      admin: `${origin}/__admin`,
    },
    jwks: {
      layer: `${origin}/layer/.well-known/jwks.json`,
      thredfi: `${origin}/thredfi/.well-known/jwks.json`,
      asset: `${origin}/asset/.well-known/jwks.json`,
      layer1: jwksUrl,
    },
    issuers: {
      layer: `${origin}/layer`,
      thredfi: `${origin}/thredfi`,
      asset: `${origin}/asset`,
      layer1: realm,
    },
  };
}
