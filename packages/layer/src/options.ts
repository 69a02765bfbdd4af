import { commonOptionsShape, parseOptions, urlOption, type CommonOptions } from '@fintoken/core';
import { z } from 'zod';
import { DEFAULT_AUTH_URL, LAYER_ENVIRONMENTS, type LayerEnvironment } from './environments.js';

/** Options of `createLayerClient`. */
export interface LayerClientOptions extends CommonOptions {
  clientId: string;
  /** Stays on your server: "Your client_secret grants full access to your Layer data" (seed). */
  clientSecret: string;
  environment: LayerEnvironment;
  /** Full token endpoint URL. Default `https://auth.layerfi.com/oauth2/token`. */
  authUrl?: string;
  /** API origin (plus optional path prefix). Default per environment. */
  apiUrl?: string;
  /** OAuth scope. Default the environment's; overriding a URL never changes it. */
  scope?: string;
}

export interface ResolvedLayerOptions extends CommonOptions {
  clientId: string;
  clientSecret: string;
  environment: LayerEnvironment;
  authUrl: string;
  apiUrl: string;
  scope: string;
}

// Plain http is accepted for any host in the sandbox environment (an emulator on a docker
// network, sandbox data only) and only for loopback hosts in production.
const schema = (allowHttp: boolean) =>
  z.object({
    clientId: z.string().min(1),
    clientSecret: z.string().min(1),
    environment: z.enum(['sandbox', 'production'], {
      error: (issue) => (issue.input === undefined ? 'is required' : "must be 'sandbox' or 'production'"),
    }),
    authUrl: urlOption({ allowHttp }).optional(),
    apiUrl: urlOption({ allowHttp }).optional(),
    scope: z.string().min(1).optional(),
    ...commonOptionsShape,
  });

/** Validate once and fill the environment's defaults. */
export function resolveLayerOptions(input: LayerClientOptions): ResolvedLayerOptions {
  const sandbox = (input as { environment?: unknown } | null | undefined)?.environment === 'sandbox';
  const options = parseOptions(schema(sandbox), input, 'createLayerClient');
  const defaults = LAYER_ENVIRONMENTS[options.environment];
  return {
    ...options,
    authUrl: options.authUrl ?? DEFAULT_AUTH_URL,
    apiUrl: (options.apiUrl ?? defaults.apiUrl).replace(/\/+$/, ''),
    // The scope names the environment, not the host: pointing apiUrl at an emulator keeps it.
    scope: options.scope ?? defaults.scope,
  };
}
