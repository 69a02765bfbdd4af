import type { CommonOptions, FintokenEvent, Token } from '@fintoken/core';
import { createAssetClient } from '@fintoken/asset';
import { createLayerClient } from '@fintoken/layer';
import { createLayer1Client } from '@fintoken/layer1';
import type { EndpointName, Sandbox } from '@fintoken/sandbox';
import { createThredfiClient } from '@fintoken/thredfi';
import { secretForms, type Canary } from './leaks.js';

/** Cache control a test passes to one call. */
export interface CallOptions {
  forceRefresh?: boolean;
  signal?: AbortSignal;
}

/** One kind of token from one provider client, pointed at a sandbox. */
export interface TargetClient {
  /** The client itself (scanned with util.inspect / JSON.stringify). */
  client: object;
  /** Get one token of this kind. */
  get(options?: CallOptions): Promise<Token>;
  /** Cache the parent token (business tokens; returned) so that only `endpoint` sees the next requests. */
  warm(): Promise<Token | undefined>;
  /** The business the token must be scoped to, if any. */
  businessId?: string;
}

/** Every client kind the suite drives: each provider's tokens, business-scoped ones included. */
export interface Target {
  name: string;
  /** Where the faults go: the endpoint that mints this kind of token. */
  endpoint: EndpointName;
  /** The lifetime the sandbox gives this token by default, seconds. */
  ttlSeconds: number;
  create(sandbox: Sandbox, options?: CommonOptions): TargetClient;
}

const layer = (sandbox: Sandbox, options: CommonOptions) =>
  createLayerClient({
    ...options,
    clientId: sandbox.credentials.layer.clientId,
    clientSecret: sandbox.credentials.layer.clientSecret,
    environment: 'sandbox',
    authUrl: sandbox.urls.layer.authUrl,
    apiUrl: sandbox.urls.layer.apiUrl,
  });

const thredfi = (sandbox: Sandbox, options: CommonOptions) =>
  createThredfiClient({ ...options, ...sandbox.credentials.thredfi, baseUrl: sandbox.urls.thredfi.baseUrl });

const asset = (sandbox: Sandbox, options: CommonOptions) =>
  createAssetClient({ ...options, ...sandbox.credentials.asset, environment: 'sandbox', baseUrl: sandbox.urls.asset.baseUrl });

const layer1 = (sandbox: Sandbox, options: CommonOptions) =>
  createLayer1Client({
    ...options,
    clientId: sandbox.credentials.layer1.clientId,
    clientSecret: sandbox.credentials.layer1.clientSecret,
    tokenUrl: sandbox.urls.layer1.tokenUrl,
  });

const noop = async () => undefined;

export const TARGETS: Target[] = [
  {
    name: 'layer client token',
    endpoint: 'layer.token',
    ttlSeconds: 3600,
    create(sandbox, options = {}) {
      const client = layer(sandbox, options);
      return { client, get: (o) => client.getToken(o), warm: noop };
    },
  },
  {
    name: 'layer business token',
    endpoint: 'layer.businessToken',
    ttlSeconds: 3600,
    create(sandbox, options = {}) {
      const client = layer(sandbox, options);
      const businessId = sandbox.businesses.layer.active[0]!;
      return { client, businessId, get: (o) => client.getBusinessToken(businessId, o), warm: () => client.getToken() };
    },
  },
  {
    name: 'thredfi partner token',
    endpoint: 'thredfi.token',
    ttlSeconds: 86_400,
    create(sandbox, options = {}) {
      const client = thredfi(sandbox, options);
      return { client, get: (o) => client.getToken(o), warm: noop };
    },
  },
  {
    name: 'thredfi business token',
    endpoint: 'thredfi.businessToken',
    ttlSeconds: 3600,
    create(sandbox, options = {}) {
      const client = thredfi(sandbox, options);
      const businessId = sandbox.businesses.thredfi.owned[0]!;
      return { client, businessId, get: (o) => client.getBusinessToken(businessId, o), warm: () => client.getToken() };
    },
  },
  {
    name: 'asset token',
    endpoint: 'asset.token',
    ttlSeconds: 3600,
    create(sandbox, options = {}) {
      const client = asset(sandbox, options);
      const businessId = sandbox.businesses.asset.allowed[0]!;
      return { client, businessId, get: (o) => client.getToken({ businessId, ...o }), warm: noop };
    },
  },
  {
    name: 'layer1 token',
    endpoint: 'layer1.token',
    ttlSeconds: 300,
    create(sandbox, options = {}) {
      const client = layer1(sandbox, options);
      return { client, get: (o) => client.getToken(o), warm: noop };
    },
  },
];

/** Every secret of a sandbox, in every form a provider could echo it. */
export function sandboxCanaries(sandbox: Sandbox): Canary[] {
  const c = sandbox.credentials;
  return [
    ...secretForms('layer client secret', c.layer.clientSecret, c.layer.clientId),
    ...secretForms('thredfi api key', c.thredfi.apiKey, c.thredfi.partnerId),
    ...secretForms('asset client secret', c.asset.clientSecret),
    ...secretForms('layer1 client secret', c.layer1.clientSecret),
  ];
}

/** An `onEvent` listener and what it heard. */
export function eventLog(): { events: FintokenEvent[]; onEvent: (event: FintokenEvent) => void; of(type: FintokenEvent['type']): FintokenEvent[] } {
  const events: FintokenEvent[] = [];
  return { events, onEvent: (event) => events.push(event), of: (type) => events.filter((e) => e.type === type) };
}

/** How a call ended: a value, or the error it threw or rejected with (`sync`: thrown before any promise). */
export interface Outcome<T> {
  value?: T;
  error?: unknown;
  sync?: boolean;
  ms: number;
}

/** Run `call` and settle it, catching a synchronous throw too (an API returning a promise must never throw). */
export async function outcome<T>(call: () => Promise<T>): Promise<Outcome<T>> {
  const started = performance.now();
  let promise: Promise<T>;
  try {
    promise = call();
  } catch (error) {
    return { error, sync: true, ms: performance.now() - started };
  }
  try {
    const value = await promise;
    return { value, ms: performance.now() - started };
  } catch (error) {
    return { error, ms: performance.now() - started };
  }
}
