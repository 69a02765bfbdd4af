import { commonOptionsShape, parseOptions, urlOption, type CommonOptions } from '@fintoken/core';
import { z } from 'zod';
import { businessIdField, expiresInField, resourceField, scopeField } from './fields.js';

export type AssetEnvironment = 'sandbox' | 'production';

/** The seed's `servers`. */
export const ASSET_BASE_URLS: Record<AssetEnvironment, string> = {
  sandbox: 'https://api.sandbox.getasset.com',
  production: 'https://api.getasset.com',
};

/** Options of `createAssetClient`. */
export interface AssetClientOptions extends CommonOptions {
  clientId: string;
  clientSecret: string;
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

const assetOptionsSchema = z
  .object({
    environment: z.enum(['sandbox', 'production']),
    baseUrl: z.string().optional(),
    clientId: z.string().min(1),
    clientSecret: z.string().min(1),
    ...commonOptionsShape,
    scope: scopeField.optional(),
    resource: resourceField.optional(),
    expiresIn: expiresInField.optional(),
  })
  .strict()
  .superRefine((options, ctx) => {
    if (options.baseUrl === undefined) return;
    // A production token must not cross the network in clear; a sandbox one may (e.g. an emulator in a container).
    const result = urlOption({ allowHttp: options.environment === 'sandbox' }).safeParse(options.baseUrl);
    for (const issue of result.error?.issues ?? []) ctx.addIssue({ code: 'custom', path: ['baseUrl'], message: issue.message });
  });

/** Validate the factory's options once (ConfigurationError naming each bad field, never its value). */
export function parseAssetOptions(input: unknown): AssetClientOptions {
  return parseOptions(assetOptionsSchema, input, 'createAssetClient');
}

/** What `getToken` accepts beyond core's `TokenRequest`, validated before anything is sent. */
export const assetRequestSchema = z.object({
  businessId: businessIdField.optional(),
  scope: scopeField.optional(),
  resource: resourceField.optional(),
  expiresIn: expiresInField.optional(),
});
