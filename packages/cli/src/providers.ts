import { createAssetClient } from '@fintoken/asset';
import { ConfigurationError, type CommonOptions, type TokenClient } from '@fintoken/core';
import { createLayerClient } from '@fintoken/layer';
import { createLayer1Client } from '@fintoken/layer1';
import type { Sandbox } from '@fintoken/sandbox';
import { createThredfiClient } from '@fintoken/thredfi';
import type { Env } from './envFile.js';

export const providerIds = ['layer', 'thredfi', 'asset', 'layer1'] as const;
export type ProviderId = (typeof providerIds)[number];

/** One environment variable the CLI reads: the factory option it fills and whether it is a secret. */
export interface EnvVar {
  name: string;
  option: string;
  required?: boolean;
  secret?: boolean;
  fallback?: string;
  description: string;
}

interface ProviderSpec {
  /** The names used in each provider's README and in apps/demo, so one `.env` serves both. */
  vars: EnvVar[];
  create(options: Record<string, unknown>): TokenClient;
  /** The options that point a client at an embedded sandbox. */
  sandboxOptions(sandbox: Sandbox): Record<string, unknown>;
}

const environment = (prefix: string): EnvVar => ({
  name: `${prefix}_ENVIRONMENT`,
  option: 'environment',
  fallback: 'sandbox',
  description: '`sandbox` (default) or `production`',
});

export const providers: Record<ProviderId, ProviderSpec> = {
  layer: {
    vars: [
      { name: 'LAYER_CLIENT_ID', option: 'clientId', required: true, description: 'client id' },
      { name: 'LAYER_CLIENT_SECRET', option: 'clientSecret', required: true, secret: true, description: 'client secret' },
      environment('LAYER'),
      { name: 'LAYER_AUTH_URL', option: 'authUrl', description: 'token endpoint URL (default https://auth.layerfi.com/oauth2/token)' },
      { name: 'LAYER_API_URL', option: 'apiUrl', description: 'API origin for business tokens (default per environment)' },
    ],
    create: (options) => createLayerClient(options as never),
    sandboxOptions: (s) => ({
      clientId: s.credentials.layer.clientId,
      clientSecret: s.credentials.layer.clientSecret,
      environment: 'sandbox',
      authUrl: s.urls.layer.authUrl,
      apiUrl: s.urls.layer.apiUrl,
    }),
  },
  thredfi: {
    vars: [
      { name: 'THREDFI_PARTNER_ID', option: 'partnerId', required: true, description: 'partner UUID' },
      { name: 'THREDFI_API_KEY', option: 'apiKey', required: true, secret: true, description: 'API key' },
      environment('THREDFI'),
      { name: 'THREDFI_BASE_URL', option: 'baseUrl', description: 'API origin (default https://sandbox.thredfi.com; required in production)' },
    ],
    create: (options) => createThredfiClient(options as never),
    sandboxOptions: (s) => ({ partnerId: s.credentials.thredfi.partnerId, apiKey: s.credentials.thredfi.apiKey, baseUrl: s.urls.thredfi.baseUrl }),
  },
  asset: {
    vars: [
      { name: 'ASSET_CLIENT_ID', option: 'clientId', required: true, description: 'client id' },
      { name: 'ASSET_CLIENT_SECRET', option: 'clientSecret', required: true, secret: true, description: 'client secret' },
      environment('ASSET'),
      { name: 'ASSET_BASE_URL', option: 'baseUrl', description: 'API origin (default per environment)' },
    ],
    create: (options) => createAssetClient(options as never),
    sandboxOptions: (s) => ({
      clientId: s.credentials.asset.clientId,
      clientSecret: s.credentials.asset.clientSecret,
      environment: 'sandbox',
      baseUrl: s.urls.asset.baseUrl,
    }),
  },
  layer1: {
    vars: [
      { name: 'LAYER1_CLIENT_ID', option: 'clientId', required: true, description: 'client id' },
      { name: 'LAYER1_CLIENT_SECRET', option: 'clientSecret', required: true, secret: true, description: 'client secret' },
      // seed layer1-authentication leaves the token URL blank: Layer1 gives it with the credentials.
      { name: 'LAYER1_TOKEN_URL', option: 'tokenUrl', required: true, description: "the realm's token endpoint URL" },
    ],
    create: (options) => createLayer1Client(options as never),
    sandboxOptions: (s) => ({
      clientId: s.credentials.layer1.clientId,
      clientSecret: s.credentials.layer1.clientSecret,
      tokenUrl: s.urls.layer1.tokenUrl,
    }),
  },
};

const read = (env: Env, name: string): string | undefined => {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
};

/** The values of every secret variable that is set: what the CLI must never print. */
export function secretValues(env: Env): string[] {
  return providerIds.flatMap((id) => providers[id].vars.filter((v) => v.secret).flatMap((v) => read(env, v.name) ?? []));
}

/** Factory options from the environment; every missing required variable is named at once. */
export function optionsFromEnv(id: ProviderId, env: Env): Record<string, unknown> {
  const vars = providers[id].vars;
  const missing = vars.filter((v) => v.required && read(env, v.name) === undefined).map((v) => v.name);
  if (missing.length > 0) {
    throw new ConfigurationError(
      `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not set: put ${missing.length === 1 ? 'it' : 'them'} in the environment or in a file given with --env-file (never on the command line)`,
    );
  }
  const options: Record<string, unknown> = {};
  for (const v of vars) {
    const value = read(env, v.name) ?? v.fallback;
    if (value !== undefined) options[v.option] = value;
  }
  return options;
}

/** Build a client; a factory's ConfigurationError names an option, so say which variable set it. */
export function createClient(id: ProviderId, options: Record<string, unknown>, common: CommonOptions, fromEnv: boolean): TokenClient {
  try {
    return providers[id].create({ ...options, ...common });
  } catch (error) {
    if (!fromEnv || !(error instanceof ConfigurationError)) throw error;
    const named = providers[id].vars.filter((v) => new RegExp(`\\b${v.option}\\b`).test(error.message)).map((v) => v.name);
    if (named.length === 0) throw error;
    throw new ConfigurationError(`${error.message} (set by ${named.join(', ')})`, { provider: id });
  }
}
