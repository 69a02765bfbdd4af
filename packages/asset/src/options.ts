import type { CommonOptions, CredentialInput } from '@fintoken/core';
import {
  commonOptionsShape,
  environmentOption,
  idOption,
  insecureHttpAllowed,
  parseOptions,
  resourceOption,
  scopeOption,
  secretOption,
  urlOption,
} from '@fintoken/core/provider';
import * as z from '@fintoken/core/schema';
import type { AssetEnvironment } from './environments.js';

/** Options of `createAssetClient`. */
export interface AssetClientOptions extends CommonOptions {
  clientId: string;
  /** A string, or a function returning it (a secrets manager): read on first use and again when Asset refuses it. */
  clientSecret: CredentialInput<string>;
  environment: AssetEnvironment;
  /** Origin (plus optional path prefix) that `/v0/auth/token` is appended to. Default per environment. */
  baseUrl?: string;
  /** Default scopes of every token, space-separated or a list. A request's `scope` replaces them. */
  scope?: string | string[];
  /** Default RFC 8707 resource indicator(s), the JWT `aud`. A request's `resource` replaces them. */
  resource?: string | string[];
  /** Default token lifetime to ask for, in seconds (Asset's own default is 3600). */
  expiresIn?: number;
}

/** `expires_in` of the request: seed `type: integer, exclusiveMinimum: 0`, in seconds. */
export const expiresInOption = () => z.int().check(z.positive());

/** Asset business ids look like `biz_GA6EG2qFxA97NZHtxeLPUy` (seed example); any non-blank string is sent. */
export const businessIdOption = () => z.string().check(z.regex(/^\S+$/, 'must be a non-empty string without whitespace'));

const schema = (allowHttp: boolean) =>
  z.strictObject({
    environment: environmentOption(['sandbox', 'production']),
    baseUrl: z.optional(urlOption({ allowHttp })),
    clientId: idOption(),
    clientSecret: secretOption(),
    ...commonOptionsShape,
    scope: z.optional(scopeOption()),
    resource: z.optional(resourceOption()),
    expiresIn: z.optional(expiresInOption()),
  });

/** Validate the factory's options once (ConfigurationError naming each bad field, never its value). */
export function parseAssetOptions(input: unknown): AssetClientOptions {
  return parseOptions(schema(insecureHttpAllowed(input)), input, 'createAssetClient');
}
