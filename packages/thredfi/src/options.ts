import { commonOptionsShape, ConfigurationError, parseOptions, urlOption, type CommonOptions } from '@fintoken/core';
import { z } from 'zod';

export type ThredfiEnvironment = 'sandbox' | 'production';

/** Options of `createThredfiClient`. */
export interface ThredfiClientOptions extends CommonOptions {
  /** Your Partner UUID: the Basic user name (seed: `partner_uuid:api_key`). */
  partnerId: string;
  /** Your API key: the Basic password. Keep it on the server. */
  apiKey: string;
  /** Default `'sandbox'`. */
  environment?: ThredfiEnvironment;
  /** Origin (plus optional prefix) of the API. Default `https://sandbox.thredfi.com`; required in production. */
  baseUrl?: string;
}

// The only host the seed names; it publishes no production host, so production must be told.
const SANDBOX_BASE_URL = 'https://sandbox.thredfi.com';

export interface ResolvedThredfiOptions extends CommonOptions {
  partnerId: string;
  apiKey: string;
  environment: ThredfiEnvironment;
  baseUrl: string;
}

export function resolveThredfiOptions(input: ThredfiClientOptions): ResolvedThredfiOptions {
  const production = (input as { environment?: unknown } | null | undefined)?.environment === 'production';
  const parsed = parseOptions(
    z.object({
      // seed: "Basic authentication ... Use partner_uuid:api_key"; the example is a UUID.
      partnerId: z.guid(),
      apiKey: z.string().min(1),
      environment: z.enum(['sandbox', 'production']).default('sandbox'),
      // Plain http: any host in the sandbox environment, loopback only in production.
      baseUrl: urlOption({ allowHttp: !production }).optional(),
      ...commonOptionsShape,
    }),
    input,
    'createThredfiClient',
  );
  if (parsed.environment === 'production' && parsed.baseUrl === undefined) {
    throw new ConfigurationError(
      'createThredfiClient: invalid options: baseUrl: is required in production (Thredfi documents only its sandbox host)',
    );
  }
  return { ...parsed, baseUrl: (parsed.baseUrl ?? SANDBOX_BASE_URL).replace(/\/+$/, '') };
}
