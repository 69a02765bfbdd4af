import { createAssetClient } from '@fintoken/asset';
import { ConfigurationError, createMemoryStore } from '@fintoken/core';
import { businessTokenHandler, withToken } from '@fintoken/express';
import { createLayerClient } from '@fintoken/layer';
import { createLayer1Client } from '@fintoken/layer1';
import { createDurableObjectStore } from '@fintoken/cloudflare';
import { createRedisStore } from '@fintoken/redis';
import { createThredfiClient } from '@fintoken/thredfi';
import fc from 'fast-check';
import { MockAgent } from 'undici';
import { describe, expect, it } from 'vitest';
import { LeakScanner, secretForms } from './support/leaks.js';
import { expectNoUnhandledRejections, trackUnhandledRejections } from './support/unhandled.js';

const rejections = trackUnhandledRejections();

// A secret a caller might put anywhere by mistake: the error may name the field, never the value.
const CANARY = 'OptionCanarySecret+/=&%-77';
const scanner = new LeakScanner().add(...secretForms('option canary', CANARY));

const SECRET_FIELDS = new Set(['clientSecret', 'apiKey', 'encryptionKey']);

const agent = new MockAgent();
const clientLike = { provider: 'stub', getToken: async () => ({ accessToken: 'a', tokenType: 'Bearer', expiresAt: Date.now() + 60_000 }) };

/** Valid values of the options every provider factory shares (core's commonOptionsShape). */
const common: Record<string, unknown[]> = {
  store: [createMemoryStore()],
  refreshAhead: [false, 1_000, { minMs: 1_000, ratio: 0.2 }],
  retry: [false, { attempts: 3, baseDelayMs: 5 }],
  timeoutMs: [1_000],
  maxBodyBytes: [4_096],
  dispatcher: [agent],
  onEvent: [() => undefined],
  now: [Date.now],
  maxEntries: [10],
  safetyMarginMs: [0, 5_000],
  lockTtlMs: [1_000],
  waitTimeoutMs: [1_000],
  waitUntil: [() => undefined],
};

interface Factory {
  name: string;
  create(input: unknown): unknown;
  /** Each option with a few valid values; the property mixes them with arbitrary ones. */
  valid: Record<string, unknown[]>;
  /** Options without which nothing can be built (always given, though not always valid). */
  required: string[];
  /** What a successful call returns. */
  isResult(value: unknown): boolean;
}

const fakeNodeRedis = {
  isOpen: true,
  sendCommand: async () => null,
  duplicate: () => fakeNodeRedis,
  connect: async () => undefined,
  subscribe: async () => undefined,
  on: () => fakeNodeRedis,
};

const isClient = (v: unknown) => typeof (v as { getToken?: unknown })?.getToken === 'function';
const isFunction = (v: unknown) => typeof v === 'function';
const urls = (...extra: string[]) => ['https://auth.example.com/oauth2/token', 'http://127.0.0.1:4010/x', ...extra];

const FACTORIES: Factory[] = [
  {
    name: 'createLayerClient',
    create: (o) => createLayerClient(o as never),
    valid: { clientId: ['id'], clientSecret: [CANARY], environment: ['sandbox', 'production'], authUrl: urls(), apiUrl: urls(), scope: ['s'], ...common },
    required: ['clientId', 'clientSecret', 'environment'],
    isResult: isClient,
  },
  {
    name: 'createThredfiClient',
    create: (o) => createThredfiClient(o as never),
    valid: { partnerId: ['6f1c2d3e-4a5b-4c6d-8e7f-0123456789ab'], apiKey: [CANARY], environment: ['sandbox', 'production'], baseUrl: urls(), ...common },
    required: ['partnerId', 'apiKey'],
    isResult: isClient,
  },
  {
    name: 'createAssetClient',
    create: (o) => createAssetClient(o as never),
    valid: {
      clientId: ['id'],
      clientSecret: [CANARY],
      environment: ['sandbox', 'production'],
      baseUrl: urls(),
      scope: ['a b', ['a', 'b']],
      resource: ['https://api.example.com', ['https://a.example', 'urn:x:y']],
      expiresIn: [600],
      ...common,
    },
    required: ['clientId', 'clientSecret', 'environment'],
    isResult: isClient,
  },
  {
    name: 'createLayer1Client',
    create: (o) => createLayer1Client(o as never),
    valid: { clientId: ['id'], clientSecret: [CANARY], tokenUrl: urls(), apiUrl: urls(), ...common },
    required: ['clientId', 'clientSecret', 'tokenUrl'],
    isResult: isClient,
  },
  {
    name: 'businessTokenHandler',
    create: (o) => businessTokenHandler(o as never),
    valid: {
      client: [clientLike],
      authorize: [() => 'biz'],
      sessionDuration: [900],
      lifetimeSeconds: [900],
      // The second holds the canary as an entry: the error must name its index, not its value.
      allowedOrigins: [['https://app.example.com'], ['https://app.example.com', CANARY]],
      allowServerOnlyTokens: [true, false],
      request: [() => undefined],
      rateLimit: [{ windowMs: 1_000, max: 5 }, { windowMs: 1_000, max: 5, key: () => 'k' }],
      now: [Date.now],
    },
    required: ['client', 'authorize'],
    isResult: isFunction,
  },
  {
    name: 'withToken',
    create: (o) => withToken(o as never),
    valid: { client: [clientLike], request: [() => undefined], apiUrl: ['https://api.example.com'] },
    required: ['client'],
    isResult: isFunction,
  },
  {
    name: 'createRedisStore',
    // A node-redis look-alike that never connects (no `url` in the pool: that would). Construction is what is tested.
    create: (o) => createRedisStore(o as never),
    valid: {
      client: [fakeNodeRedis],
      prefix: ['app:'],
      encryptionKey: ['a'.repeat(64), Buffer.alloc(32, 7)],
      lockTtlMs: [1_000],
      waitTimeoutMs: [1_000],
      operationTimeoutMs: [200],
      onEvent: [() => undefined],
      now: [Date.now],
    },
    required: ['client'],
    isResult: (v) => typeof (v as { get?: unknown })?.get === 'function',
  },
  {
    name: 'createDurableObjectStore',
    // A namespace look-alike: construction touches no object (a stub is made per call).
    create: (o) => createDurableObjectStore(o as never),
    valid: {
      namespace: [{ idFromName: (name: string) => name, get: () => ({ fetch: async () => Response.json({}) }) }],
      prefix: ['app:'],
      objectName: [() => 'all'],
      operationTimeoutMs: [200, 2_000],
    },
    required: ['namespace'],
    isResult: (v) => typeof (v as { get?: unknown })?.get === 'function',
  },
];

/** An options object: each known option valid, the canary, or anything at all (optional ones sometimes left out); a stray key now and then. */
function optionsFor(factory: Factory): fc.Arbitrary<unknown> {
  const value = (valid: unknown[]) =>
    fc.oneof(
      { arbitrary: fc.constantFrom(...valid), weight: 12 },
      { arbitrary: fc.constant(CANARY), weight: 1 },
      { arbitrary: fc.anything({ maxDepth: 2 }), weight: 1 },
    );
  const known = Object.fromEntries(Object.entries(factory.valid).map(([k, v]) => [k, value(v)]));
  const stray = fc.oneof({ arbitrary: fc.constant({}), weight: 4 }, { arbitrary: fc.dictionary(fc.string({ maxLength: 10 }), fc.anything({ maxDepth: 1 }), { maxKeys: 2 }), weight: 1 });
  const nearlyValid = fc
    .tuple(fc.record(known, { requiredKeys: factory.required }), stray)
    .map(([options, extra]) => ({ ...extra, ...options }));
  return fc.oneof({ arbitrary: nearlyValid, weight: 5 }, { arbitrary: fc.anything(), weight: 1 });
}

describe.each(FACTORIES)('$name options', (factory) => {
  it('returns a working result or throws a ConfigurationError naming fields, never values (property)', () => {
    const seen = { ok: 0, refused: 0 };
    fc.assert(
      fc.property(optionsFor(factory), (options) => {
        let result: unknown;
        try {
          result = factory.create(options);
        } catch (error) {
          expect(error).toBeInstanceOf(ConfigurationError);
          expect((error as ConfigurationError).code).toBe('ERR_CONFIGURATION');
          scanner.scan(`${factory.name} error`, error);
          seen.refused += 1;
          return;
        }
        expect(factory.isResult(result)).toBe(true);
        // A client may show its non-secret options (clientId, prefix): scan it when only a secret field held the canary.
        const holders = Object.entries(options as object).filter(([, v]) => v === CANARY).map(([k]) => k);
        if (holders.every((k) => SECRET_FIELDS.has(k))) scanner.scan(`${factory.name} result`, result);
        seen.ok += 1;
      }),
      { numRuns: 300, seed: 77 },
    );
    expect(seen.ok).toBeGreaterThan(0);
    expect(seen.refused).toBeGreaterThan(0);
  });
});

describe('option errors', () => {
  it('never show the secret given in any option', () => {
    scanner.expectClean();
  });
});

expectNoUnhandledRejections(rejections);
