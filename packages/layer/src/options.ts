import { commonOptionsShape, environmentOption, idOption, insecureHttpAllowed, parseOptions, secretOption, trimTrailingSlash, urlOption } from '@fintoken/core/provider';
import type { CommonOptions, CredentialInput } from '@fintoken/core';
import * as z from '@fintoken/core/schema';
import { DEFAULT_AUTH_URL, LAYER_ENVIRONMENTS, type LayerEnvironment } from './environments.js';

/** Options of `createLayerClient`. */
export interface LayerClientOptions extends CommonOptions {
  clientId: string;
  /**
   * Stays on your server: "Your client_secret grants full access to your Layer data" (seed). A
   * string, or a function returning it (a secrets manager, a mounted file): read on first use and
   * again when Layer refuses it, so a secret rotated at Layer needs no restart.
   */
  clientSecret: CredentialInput<string>;
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
  clientSecret: CredentialInput<string>;
  environment: LayerEnvironment;
  authUrl: string;
  apiUrl: string;
  scope: string;
}

const schema = (allowHttp: boolean) =>
  z.object({
    clientId: idOption(),
    clientSecret: secretOption(),
    environment: environmentOption(['sandbox', 'production']),
    authUrl: z.optional(urlOption({ allowHttp })),
    apiUrl: z.optional(urlOption({ allowHttp })),
    scope: z.optional(z.string().check(z.minLength(1))),
    ...commonOptionsShape,
  });

/** Validate once and fill the environment's defaults. */
export function resolveLayerOptions(input: LayerClientOptions): ResolvedLayerOptions {
  const options = parseOptions(schema(insecureHttpAllowed(input)), input, 'createLayerClient');
  const defaults = LAYER_ENVIRONMENTS[options.environment];
  return {
    ...options,
    authUrl: options.authUrl ?? DEFAULT_AUTH_URL,
    apiUrl: trimTrailingSlash(options.apiUrl ?? defaults.apiUrl),
    // The scope names the environment, not the host: pointing apiUrl at an emulator keeps it.
    scope: options.scope ?? defaults.scope,
  };
}
