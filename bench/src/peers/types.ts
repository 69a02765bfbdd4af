/** Where a peer gets its tokens: the sandbox's Layer1 (Keycloak) realm. */
export interface PeerConfig {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** Origin of the Layer1 API, for peers with an authorized fetch. */
  apiUrl: string;
}

/** How a library keeps tokens between calls, as its README recommends using it. */
export type Caching = 'none' | 'cache' | 'cache + single-flight' | 'cache + single-flight + refresh-ahead';

export interface Peer {
  /**
   * The library's own "give me a token" call, exactly as a user makes it (no adapter around
   * it), so warm-cache numbers measure the library and not our glue.
   */
  getToken: () => Promise<unknown>;
  /** The access token inside what `getToken` resolved to. */
  read: (result: unknown) => string;
  /** The library's authorized fetch, for peers that have one (a 401 makes it refresh and retry). */
  fetch?: (url: string) => Promise<{ status: number; body: { cancel(): Promise<void> } | null }>;
  close?: () => Promise<void>;
}

export interface PeerDefinition {
  /** Column/row label, e.g. `openid-client`. */
  name: string;
  /** The API under test, e.g. `clientCredentialsGrant(config)`. */
  api: string;
  caching: Caching;
  create(config: PeerConfig): Peer;
}
