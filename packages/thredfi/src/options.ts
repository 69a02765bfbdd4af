import type { CommonOptions, CredentialInput } from '@fintoken/core';
import { ConfigurationError } from '@fintoken/core';
import {
  commonOptionsShape,
  environmentOption,
  insecureHttpAllowed,
  parseOptions,
  secretOption,
  trimTrailingSlash,
  urlOption,
  uuidOption,
} from '@fintoken/core/provider';
import * as z from '@fintoken/core/schema';
import { SANDBOX_BASE_URL, type ThredfiEnvironment } from './environments.js';

/** Options of `createThredfiClient`. */
export interface ThredfiClientOptions extends CommonOptions {
  /** Your Partner UUID: the Basic user name (seed: `partner_uuid:api_key`). */
  partnerId: string;
  /**
   * Your API key: the Basic password. Keep it on the server. A string, or a function returning it
   * (a secrets manager): read on first use and again when Thredfi answers `invalid_client`.
   */
  apiKey: CredentialInput<string>;
  /** Default `'sandbox'`. */
  environment?: ThredfiEnvironment;
  /** Origin (plus optional prefix) of the API. Default `https://sandbox.thredfi.com`; required in production. */
  baseUrl?: string;
}

export interface ResolvedThredfiOptions extends CommonOptions {
  partnerId: string;
  apiKey: CredentialInput<string>;
  environment: ThredfiEnvironment;
  baseUrl: string;
}

const schema = (allowHttp: boolean) =>
  z.object({
    // seed: "Basic authentication ... Use partner_uuid:api_key"; the example is a UUID.
    partnerId: uuidOption(),
    apiKey: secretOption(),
    environment: z._default(environmentOption(['sandbox', 'production']), 'sandbox'),
    baseUrl: z.optional(urlOption({ allowHttp })),
    ...commonOptionsShape,
  });

export function resolveThredfiOptions(input: ThredfiClientOptions): ResolvedThredfiOptions {
  const parsed = parseOptions(schema(insecureHttpAllowed(input)), input, 'createThredfiClient');
  if (parsed.environment === 'production' && parsed.baseUrl === undefined) {
    throw new ConfigurationError(
      'createThredfiClient: invalid options: baseUrl: is required in production (Thredfi documents only its sandbox host)',
    );
  }
  return { ...parsed, baseUrl: trimTrailingSlash(parsed.baseUrl ?? SANDBOX_BASE_URL) };
}
