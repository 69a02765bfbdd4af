import { randomBytes } from 'node:crypto';
import { providerNames, type ProviderName } from './endpoints.js';
import type { LayerEnvironment, SandboxOptions, TokenTtlName } from './types.js';

/** Seconds. Layer: "expire after 1 hour"; Thredfi partner: "typically 24 hours", business: example 3600; Asset: default 3600; Layer1: 300. */
export const defaultTokenTtl: Readonly<Record<TokenTtlName, number>> = {
  layer: 3600,
  thredfi: 86400,
  thredfiBusiness: 3600,
  asset: 3600,
  layer1: 300,
};

/** seed: layer-authentication, "Environments" table. */
export const layerScopes: Readonly<Record<LayerEnvironment, string>> = {
  sandbox: 'https://sandbox.layerfi.com/sandbox',
  production: 'https://api.layerfi.com/production',
};

export interface ResolvedOptions {
  port: number;
  host: string;
  providers: ReadonlySet<ProviderName>;
  tokenTtl: Record<TokenTtlName, number>;
  /** The given seed, or a random one: both paths derive fixtures the same way. */
  seed: string;
  layerScope: string;
}

export function resolveOptions(options: SandboxOptions = {}): ResolvedOptions {
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new TypeError(`Invalid port: ${port}`);
  const providers = options.providers ?? [...providerNames];
  for (const name of providers) {
    if (!providerNames.includes(name)) throw new TypeError(`Unknown provider: ${String(name)}`);
  }
  const tokenTtl = { ...defaultTokenTtl };
  for (const [name, seconds] of Object.entries(options.tokenTtl ?? {})) {
    if (!(name in defaultTokenTtl)) throw new TypeError(`Unknown tokenTtl entry: ${name}`);
    if (seconds === undefined) continue;
    if (!Number.isSafeInteger(seconds) || seconds <= 0) throw new TypeError(`tokenTtl.${name} must be a positive integer`);
    tokenTtl[name as TokenTtlName] = seconds;
  }
  const environment = options.layerEnvironment ?? 'sandbox';
  const layerScope = layerScopes[environment];
  if (layerScope === undefined) throw new TypeError(`Unknown layerEnvironment: ${String(environment)}`);
  return {
    port,
    host: options.host ?? '127.0.0.1',
    providers: new Set(providers),
    tokenTtl,
    seed: options.seed ?? randomBytes(16).toString('hex'),
    layerScope,
  };
}
