import { createAssetClient } from '@fintoken/asset';
import type { CommonOptions } from '@fintoken/core';
import { createLayerClient } from '@fintoken/layer';
import { createLayer1Client } from '@fintoken/layer1';
import { createThredfiClient } from '@fintoken/thredfi';
import type { Dispatcher } from 'undici';
import { secretForms, type Canary } from './leaks.js';
import { createMockProvider, fakeJwt, type MockHandler, type MockProvider, type MockReply, type MockRequest } from './mockProvider.js';
import type { TargetClient } from './targets.js';

export const MOCK_URLS = {
  layerAuth: 'https://auth.layer.test/oauth2/token',
  layerApi: 'https://api.layer.test',
  thredfi: 'https://thredfi.test',
  asset: 'https://asset.test',
  layer1: 'https://layer1.test/realms/canary/protocol/openid-connect/token',
};

// Canary credentials with the characters that change under URI, form and base64 encoding.
export const MOCK_CREDENTIALS = {
  layer: { clientId: 'layer-canary-client', clientSecret: 'LayerSecret+/=&%?#"canary-1' },
  thredfi: { partnerId: '6f1c2d3e-4a5b-4c6d-8e7f-0123456789ab', apiKey: 'sk_test_ThredfiKey+/=&%canary-2' },
  asset: { clientId: 'client_asset_canary', clientSecret: 'AssetSecret+/=& %canary-3' },
  layer1: { clientId: 'layer1-canary-client', clientSecret: 'Layer1Secret+/=&%#canary-4' },
};

/** The parent (client/partner) token the mock hands out: opaque, so only exact-value redaction can hide it. */
export const PARENT_TOKEN = 'opaque-parent-token-CANARY-5b1f0e';

export const MOCK_BUSINESS = {
  layer: '0b7f9c4e-2d1a-4e8b-9c3f-5a6b7c8d9e0f',
  thredfi: '1c2d3e4f-5a6b-4c7d-8e9f-a0b1c2d3e4f5',
  asset: 'biz_GA6EG2qFxA97NZHtxeLPUy',
};

export function mockCanaries(): Canary[] {
  const c = MOCK_CREDENTIALS;
  return [
    ...secretForms('layer client secret', c.layer.clientSecret, c.layer.clientId),
    ...secretForms('thredfi api key', c.thredfi.apiKey, c.thredfi.partnerId),
    ...secretForms('asset client secret', c.asset.clientSecret),
    ...secretForms('layer1 client secret', c.layer1.clientSecret),
    { label: 'parent access token', value: PARENT_TOKEN },
  ];
}

/** One client kind pointed at a MockAgent provider. */
export interface MockTarget {
  name: string;
  origins: string[];
  /** True for a request for the token under test; anything else is the parent token's. */
  underTest(request: MockRequest): boolean;
  /** A valid answer for the token under test at local time `now`. */
  validBody(now: number, request: MockRequest): Record<string, unknown>;
  /** `expires_in` is a unix time (Asset). */
  absoluteExpiry: boolean;
  ttlSeconds: number;
  create(dispatcher: Dispatcher, options?: CommonOptions): TargetClient;
}

const jwtFor = (now: number, ttl: number, extra: Record<string, unknown> = {}) =>
  fakeJwt({ sub: 'canary', iat: Math.floor(now / 1000), exp: Math.floor(now / 1000) + ttl, ...extra });

const parentOk = (): MockReply => ({ status: 200, json: { access_token: PARENT_TOKEN, token_type: 'Bearer', expires_in: 86_400 } });

/** The business id in a Layer (`/v1/businesses/{id}/auth-token`) or Thredfi (`/v1/platform/{id}/oauth2/token/`) path, as sent. */
export const pathBusiness = (path: string): string => path.split('/')[3] ?? '';

const layerClient = (dispatcher: Dispatcher, options: CommonOptions = {}) =>
  createLayerClient({ ...options, ...MOCK_CREDENTIALS.layer, environment: 'production', authUrl: MOCK_URLS.layerAuth, apiUrl: MOCK_URLS.layerApi, dispatcher });
const thredfiClient = (dispatcher: Dispatcher, options: CommonOptions = {}) =>
  createThredfiClient({ ...options, ...MOCK_CREDENTIALS.thredfi, baseUrl: MOCK_URLS.thredfi, dispatcher });

export const MOCK_TARGETS: MockTarget[] = [
  {
    name: 'layer client token',
    origins: [new URL(MOCK_URLS.layerAuth).origin],
    underTest: () => true,
    validBody: (now) => ({ access_token: jwtFor(now, 3600), expires_in: 3600, token_type: 'Bearer' }),
    absoluteExpiry: false,
    ttlSeconds: 3600,
    create(dispatcher, options) {
      const client = layerClient(dispatcher, options);
      return { client, get: (o) => client.getToken(o), warm: async () => undefined };
    },
  },
  {
    name: 'layer business token',
    origins: [new URL(MOCK_URLS.layerAuth).origin, MOCK_URLS.layerApi],
    underTest: (r) => r.origin === MOCK_URLS.layerApi,
    validBody: (now, r) => ({ access_token: jwtFor(now, 3600, { business_id: decodeURIComponent(pathBusiness(r.path)) }), expires_in: 3600, token_type: 'Bearer' }),
    absoluteExpiry: false,
    ttlSeconds: 3600,
    create(dispatcher, options) {
      const client = layerClient(dispatcher, options);
      const businessId = MOCK_BUSINESS.layer;
      return { client, businessId, get: (o) => client.getBusinessToken(businessId, o), warm: () => client.getToken() };
    },
  },
  {
    name: 'thredfi partner token',
    origins: [MOCK_URLS.thredfi],
    underTest: () => true,
    validBody: (now) => ({ access_token: jwtFor(now, 86_400), token_type: 'Bearer', expires_in: 86_400 }),
    absoluteExpiry: false,
    ttlSeconds: 86_400,
    create(dispatcher, options) {
      const client = thredfiClient(dispatcher, options);
      return { client, get: (o) => client.getToken(o), warm: async () => undefined };
    },
  },
  {
    name: 'thredfi business token',
    origins: [MOCK_URLS.thredfi],
    underTest: (r) => r.path !== '/v1/platform/oauth2/token/',
    validBody: (now, r) => {
      const business = decodeURIComponent(pathBusiness(r.path));
      return { access_token: jwtFor(now, 3600, { business_id: business }), token_type: 'Bearer', expires_in: 3600, scope: 'business_access', business_id: business };
    },
    absoluteExpiry: false,
    ttlSeconds: 3600,
    create(dispatcher, options) {
      const client = thredfiClient(dispatcher, options);
      const businessId = MOCK_BUSINESS.thredfi;
      return { client, businessId, get: (o) => client.getBusinessToken(businessId, o), warm: () => client.getToken() };
    },
  },
  {
    name: 'asset token',
    origins: [MOCK_URLS.asset],
    underTest: () => true,
    validBody: (now, r) => {
      const business = new URLSearchParams(r.body).get('business_id') ?? undefined;
      return { access_token: jwtFor(now, 3600, { business_id: business }), token_type: 'Bearer', expires_in: Math.floor(now / 1000) + 3600 };
    },
    absoluteExpiry: true,
    ttlSeconds: 3600,
    create(dispatcher, options) {
      const client = createAssetClient({ ...options, ...MOCK_CREDENTIALS.asset, environment: 'production', baseUrl: MOCK_URLS.asset, dispatcher });
      const businessId = MOCK_BUSINESS.asset;
      return { client, businessId, get: (o) => client.getToken({ businessId, ...o }), warm: async () => undefined };
    },
  },
  {
    name: 'layer1 token',
    origins: [new URL(MOCK_URLS.layer1).origin],
    underTest: () => true,
    validBody: (now) => ({
      access_token: jwtFor(now, 300),
      expires_in: 300,
      refresh_expires_in: 0,
      token_type: 'Bearer',
      'not-before-policy': 0,
      scope: 'tenants:view transactions:edit',
    }),
    absoluteExpiry: false,
    ttlSeconds: 300,
    create(dispatcher, options) {
      const client = createLayer1Client({ ...options, ...MOCK_CREDENTIALS.layer1, tokenUrl: MOCK_URLS.layer1, dispatcher });
      return { client, get: (o) => client.getToken(o), warm: async () => undefined };
    },
  },
];

/** A mock provider for `target`: the parent endpoint answers validly, the one under test through `reply`. */
export function mockHarness(target: MockTarget, reply: MockHandler): MockProvider {
  return createMockProvider(target.origins, (request) => (target.underTest(request) ? reply(request) : parentOk()));
}
