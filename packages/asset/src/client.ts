import type { ProviderClient } from '@fintoken/core';
import { createProviderClient, normalizeList, trimTrailingSlash } from '@fintoken/core/provider';
import { ASSET_BASE_URLS } from './environments.js';
import { parseAssetError } from './errors.js';
import { parseAssetOptions, type AssetClientOptions } from './options.js';
import { defaultsKey, tokenFields, validateAssetRequest, type AssetDefaults, type AssetTokenRequest } from './request.js';
import { assetTokenResponseSchema } from './responses.js';

/** An Asset client: core's `ProviderClient` with Asset's request fields. */
export type AssetClient = ProviderClient<AssetTokenRequest>;

/**
 * Create a client for Asset's `POST /v0/auth/token` (seed asset-access-token): cached tokens per
 * business, scope, resource and lifetime, refreshed ahead of their absolute expiry.
 *
 * @example
 * const asset = createAssetClient({
 *   clientId: process.env.ASSET_CLIENT_ID!,
 *   clientSecret: process.env.ASSET_CLIENT_SECRET!,
 *   environment: 'sandbox',
 * });
 * const token = await asset.getToken({ businessId: 'biz_GA6EG2qFxA97NZHtxeLPUy' });
 */
export function createAssetClient(input: AssetClientOptions): AssetClient {
  const options = parseAssetOptions(input);
  const { clientId, environment } = options;
  const baseUrl = trimTrailingSlash(options.baseUrl ?? ASSET_BASE_URLS[environment]);
  const defaults: AssetDefaults = {
    scope: options.scope === undefined ? undefined : normalizeList(options.scope),
    resource: options.resource === undefined ? undefined : normalizeList(options.resource),
    expiresIn: options.expiresIn,
  };

  return createProviderClient<AssetTokenRequest>({
    provider: 'asset',
    factory: 'createAssetClient',
    environment,
    clientId,
    secret: options.clientSecret,
    apiUrl: baseUrl,
    options,
    // seed asset-access-token is silent on browsers; its tokens are scoped to a business, to the
    // scopes and audience asked for, and live as long as the caller says (`expires_in`). The
    // endpoints serve them, with the lifetime option mapped to `expiresIn` (README: keep it short).
    businessTokens: { browser: true, lifetimeField: 'expiresIn' },
    validate: validateAssetRequest,
    keyExtra: (request) => defaultsKey(request, defaults),
    // Seed: credentials as form fields (client_secret_post), never HTTP Basic; business tokens from
    // the same endpoint with `business_id`. expires_in is a unix time on Asset's clock: core
    // corrects it with the Date header.
    grant: {
      tokenUrl: `${baseUrl}/v0/auth/token`,
      authMethod: 'client_secret_post',
      fields: (request) => tokenFields(request, defaults),
      schema: assetTokenResponseSchema,
      parseError: parseAssetError,
      expiresInMode: 'absolute',
    },
  });
}
