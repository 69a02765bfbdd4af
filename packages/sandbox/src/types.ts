import type { ApiRequestRecord, ApiRequestSummary } from './apiRequestLog.js';
import type { EndpointName, ProviderName } from './endpoints.js';

/** Token lifetimes that `tokenTtl` can override, in seconds. */
export type TokenTtlName = 'layer' | 'thredfi' | 'thredfiBusiness' | 'asset' | 'layer1';

/** Which Layer OAuth scope the emulator requires (seed: layer-authentication, "Environments"). */
export type LayerEnvironment = 'sandbox' | 'production';

export interface SandboxOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** Host to listen on; default 127.0.0.1. */
  host?: string;
  /** Providers to emulate; default all four. */
  providers?: ProviderName[];
  /** Token lifetimes in seconds; defaults layer 3600, thredfi 86400, thredfiBusiness 3600, asset 3600, layer1 300. */
  tokenTtl?: Partial<Record<TokenTtlName, number>>;
  /** Makes credentials, business ids and fault randomness deterministic; random per start otherwise. */
  seed?: string;
  /** Which Layer OAuth scope `POST /layer/oauth2/token` requires; default 'sandbox'. */
  layerEnvironment?: LayerEnvironment;
  /** Faults queued from the start, as if passed to `faults.inject` (shared/DESIGN.md, "Sandbox"). */
  faults?: Partial<Record<EndpointName, Fault | Fault[]>>;
}

/** A malformed success body, for testing how clients cope with a provider gone wrong. */
export type FaultBody =
  | 'malformed-json'
  | 'html'
  | 'missing-access-token'
  | 'not-a-jwt'
  | { raw: string; contentType?: string };

export interface Fault {
  /** How many requests this fault applies to; default 1, Infinity until cleared. */
  times?: number;
  /** 0..1: apply to a request with this probability (seeded RNG when `seed` is given). */
  probability?: number;
  /** Delay before answering, fixed or uniformly drawn from [min, max]. */
  latencyMs?: number | [number, number];
  /** Answer with this status and the provider's documented error body. */
  status?: number;
  /** Retry-After header value (seconds or an HTTP-date). */
  retryAfter?: number | string;
  /** A malformed success body (status 200 unless `status` is given). */
  body?: FaultBody;
  /** Accept the request and never answer (until close()). */
  hang?: boolean;
  /** Destroy the socket without answering. */
  drop?: boolean;
  /** Send the normal body in chunks spread over this many milliseconds. */
  slowBodyMs?: number;
}

export interface SandboxUrls {
  layer: { authUrl: string; apiUrl: string };
  thredfi: { baseUrl: string };
  asset: { baseUrl: string };
  layer1: { tokenUrl: string; apiUrl: string; jwksUrl: string };
  admin: string;
}

export interface SandboxCredentials {
  layer: { clientId: string; clientSecret: string; clientName: string };
  thredfi: { partnerId: string; apiKey: string };
  asset: { clientId: string; clientSecret: string };
  layer1: { clientId: string; clientSecret: string; realm: string };
}

export interface SandboxBusinesses {
  layer: { active: string[]; archived: string };
  thredfi: { owned: string[]; foreign: string };
  asset: { allowed: string[]; forbidden: string };
}

export interface SandboxJwks {
  layer: string;
  thredfi: string;
  asset: string;
  layer1: string;
}

export interface SandboxStats {
  /** Requests received at that endpoint, faulted ones included. */
  count(endpoint: EndpointName): number;
  snapshot(): Record<EndpointName, number>;
  reset(): void;
}

export interface SandboxFaults {
  /** Queue faults for an endpoint; they apply in order, each to `times` requests. */
  inject(endpoint: EndpointName, fault: Fault | Fault[]): void;
  /** Drop queued faults of one endpoint, or of all. */
  clear(endpoint?: EndpointName): void;
}

export interface SandboxApiRequests {
  /** The Layer API reads received, oldest first (bounded), each with its token's exp and status. */
  list(): ApiRequestRecord[];
  summary(): ApiRequestSummary;
  clear(): void;
}

export interface SandboxClock {
  /** The sandbox clock is Date.now() + skew: it drives iat/exp, the Date header and Asset's expires_in. */
  setSkewMs(ms: number): void;
  now(): number;
}

export interface Sandbox {
  /** Origin, e.g. http://127.0.0.1:4010; each provider lives under its own path prefix. */
  url: string;
  urls: SandboxUrls;
  credentials: SandboxCredentials;
  businesses: SandboxBusinesses;
  /** URL of each provider's JWKS. */
  jwks: SandboxJwks;
  stats: SandboxStats;
  faults: SandboxFaults;
  /** Which token each Layer API read carried and whether it was live on arrival. */
  apiRequests: SandboxApiRequests;
  clock: SandboxClock;
  /**
   * Replace a provider's client secret (Thredfi: its API key) and return the new one; the old one
   * is refused from the next request on, as after a rotation in the provider's console.
   * `credentials` shows the new value.
   */
  rotateSecret(provider: ProviderName): string;
  /** Closes the server and every open or hung socket. */
  close(): Promise<void>;
}
