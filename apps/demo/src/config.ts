import { businessProviders, type BusinessProviderId } from './providers.js';

/** The environment the demo reads: `process.env` in the CLI, a plain object in tests. */
export type Env = Readonly<Record<string, string | undefined>>;

/** A configuration mistake; the message names the variable, never its value (it may be a secret). */
export class DemoConfigError extends Error {
  override name = 'DemoConfigError';
}

export interface LayerLive {
  clientId: string;
  clientSecret: string;
  environment: 'sandbox' | 'production';
  authUrl?: string;
  apiUrl?: string;
}
export interface ThredfiLive {
  partnerId: string;
  apiKey: string;
  environment: 'sandbox' | 'production';
  baseUrl?: string;
}
export interface AssetLive {
  clientId: string;
  clientSecret: string;
  environment: 'sandbox' | 'production';
  baseUrl?: string;
}
export interface Layer1Live {
  clientId: string;
  clientSecret: string;
  tokenUrl: string;
  apiUrl?: string;
}

/** Which providers talk to their real sandboxes; the others use @fintoken/sandbox. */
export interface LiveProviders {
  layer?: LayerLive;
  thredfi?: ThredfiLive;
  asset?: AssetLive;
  layer1?: Layer1Live;
}

/** Business ids per provider that one demo user may act for; the first is the default. */
export type UserBusinesses = Partial<Record<BusinessProviderId, string[]>>;

export interface DemoConfig {
  port: number;
  host: string;
  /** DEMO_SESSION_SECRET; a random one per start when absent (sessions then end on restart). */
  sessionSecret?: string;
  /** An already running sandbox (`fintoken-sandbox` CLI) instead of the embedded one. */
  sandboxUrl?: string;
  /** SANDBOX_SEED: the embedded sandbox's credentials and business ids stay the same on every start. */
  sandboxSeed?: string;
  live: LiveProviders;
  /** From DEMO_BUSINESSES_<USER>. */
  businesses: Record<string, UserBusinesses>;
}

const nonEmpty = (env: Env, name: string): string | undefined => {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
};

/** Both or neither: half a credential pair is a mistake worth stopping for. */
function pair(env: Env, idName: string, secretName: string): [string, string] | undefined {
  const id = nonEmpty(env, idName);
  const secret = nonEmpty(env, secretName);
  if (id === undefined && secret === undefined) return undefined;
  if (id === undefined || secret === undefined) {
    throw new DemoConfigError(`${id === undefined ? idName : secretName} is missing: set both ${idName} and ${secretName}, or neither to use the embedded sandbox`);
  }
  return [id, secret];
}

function environment(env: Env, name: string): 'sandbox' | 'production' {
  const value = nonEmpty(env, name) ?? 'sandbox';
  if (value !== 'sandbox' && value !== 'production') throw new DemoConfigError(`${name} must be "sandbox" or "production"`);
  return value;
}

function url(env: Env, name: string): string | undefined {
  const value = nonEmpty(env, name);
  if (value === undefined) return undefined;
  let parsed: URL | undefined;
  try {
    parsed = new URL(value);
  } catch {
    parsed = undefined;
  }
  // `localhost:4010` parses as a URL with scheme "localhost:": insist on http(s).
  if (parsed === undefined || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new DemoConfigError(`${name} must be an absolute http(s) URL`);
  }
  return value;
}

function port(value: string | undefined): number {
  if (value === undefined) return 3000;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535) throw new DemoConfigError('PORT must be an integer from 0 to 65535');
  return n;
}

function readLive(env: Env): LiveProviders {
  const live: LiveProviders = {};
  const layer = pair(env, 'LAYER_CLIENT_ID', 'LAYER_CLIENT_SECRET');
  if (layer) {
    live.layer = {
      clientId: layer[0],
      clientSecret: layer[1],
      environment: environment(env, 'LAYER_ENVIRONMENT'),
      authUrl: url(env, 'LAYER_AUTH_URL'),
      apiUrl: url(env, 'LAYER_API_URL'),
    };
  }
  const thredfi = pair(env, 'THREDFI_PARTNER_ID', 'THREDFI_API_KEY');
  if (thredfi) {
    live.thredfi = {
      partnerId: thredfi[0],
      apiKey: thredfi[1],
      environment: environment(env, 'THREDFI_ENVIRONMENT'),
      baseUrl: url(env, 'THREDFI_BASE_URL'),
    };
  }
  const asset = pair(env, 'ASSET_CLIENT_ID', 'ASSET_CLIENT_SECRET');
  if (asset) {
    live.asset = {
      clientId: asset[0],
      clientSecret: asset[1],
      environment: environment(env, 'ASSET_ENVIRONMENT'),
      baseUrl: url(env, 'ASSET_BASE_URL'),
    };
  }
  const layer1 = pair(env, 'LAYER1_CLIENT_ID', 'LAYER1_CLIENT_SECRET');
  if (layer1) {
    // Layer1 publishes no default token URL (seed: layer1-authentication): it comes with the credentials.
    const tokenUrl = url(env, 'LAYER1_TOKEN_URL');
    if (tokenUrl === undefined) throw new DemoConfigError('LAYER1_TOKEN_URL is missing: Layer1 gives it to you with the credentials');
    live.layer1 = { clientId: layer1[0], clientSecret: layer1[1], tokenUrl, apiUrl: url(env, 'LAYER1_API_URL') };
  }
  return live;
}

/**
 * DEMO_BUSINESSES_ALICE="layer=<uuid>,thredfi=<uuid>,asset=biz_..." (repeat a provider to allow
 * several businesses; the first is the default). The suffix is the user name.
 */
export function readBusinesses(env: Env): Record<string, UserBusinesses> {
  const users: Record<string, UserBusinesses> = {};
  for (const [name, raw] of Object.entries(env)) {
    const match = /^DEMO_BUSINESSES_([A-Za-z0-9_-]{1,32})$/.exec(name);
    if (match === null || raw === undefined || raw.trim() === '') continue;
    const user = (match[1] as string).toLowerCase();
    const entry: UserBusinesses = {};
    for (const item of raw.split(',').map((s) => s.trim()).filter(Boolean)) {
      const [provider, id] = item.split('=').map((s) => s.trim());
      if (!businessProviders.includes(provider as BusinessProviderId) || !id) {
        throw new DemoConfigError(`${name}: each entry must be provider=businessId with provider one of ${businessProviders.join(', ')}`);
      }
      (entry[provider as BusinessProviderId] ??= []).push(id);
    }
    users[user] = entry;
  }
  return users;
}

/** Read and check the whole configuration once, at start. */
export function readConfig(env: Env, overrides: { port?: number; host?: string } = {}): DemoConfig {
  return {
    port: overrides.port ?? port(nonEmpty(env, 'PORT')),
    // Loopback by default: the demo has toy sign-in and a sandbox admin proxy.
    host: overrides.host ?? nonEmpty(env, 'HOST') ?? '127.0.0.1',
    sessionSecret: nonEmpty(env, 'DEMO_SESSION_SECRET'),
    sandboxUrl: url(env, 'SANDBOX_URL'),
    sandboxSeed: nonEmpty(env, 'SANDBOX_SEED'),
    live: readLive(env),
    businesses: readBusinesses(env),
  };
}
