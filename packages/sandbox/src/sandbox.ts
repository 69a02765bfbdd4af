import type { IncomingMessage, ServerResponse } from 'node:http';
import { adminMount } from './admin.js';
import { createApiRequestLog } from './apiRequestLog.js';
import { createClock } from './clock.js';
import { createDispatcher } from './dispatch.js';
import { providerNames, type EndpointName, type ProviderName } from './endpoints.js';
import { createFaultStore } from './faults.js';
import { createFixtures } from './fixtures.js';
import { createSigningKey, createTokenIssuer, type SigningKey } from './jwt.js';
import { resolveOptions } from './options.js';
import { assetMounts } from './providers/asset.js';
import { layerMounts } from './providers/layer.js';
import { layer1Mounts } from './providers/layer1.js';
import { thredfiMounts } from './providers/thredfi.js';
import { createDerivation, createRng } from './random.js';
import { createRotation } from './rotation.js';
import { createRouter, type Mount } from './router.js';
import { createScheduler } from './scheduler.js';
import { listen } from './server.js';
import { createStats } from './stats.js';
import type { Sandbox, SandboxOptions } from './types.js';
import { addressesFor, originFor } from './urls.js';

/**
 * Starts local emulators of the Layer, Thredfi, Asset and Layer1 auth endpoints on one port,
 * each under its own path prefix, faithful to the providers' documents (shared/seeds).
 *
 * @example
 * const sandbox = await startSandbox({ seed: 'demo' });
 * const { clientId, clientSecret } = sandbox.credentials.layer;
 * // ... point a client at sandbox.urls.layer.authUrl ...
 * await sandbox.close();
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const config = resolveOptions(options);
  const clock = createClock();
  const derive = createDerivation(config.seed);
  const { credentials, businesses } = createFixtures(derive);
  const random = createRng(config.seed);
  const stats = createStats();
  const apiRequests = createApiRequestLog();
  const faults = createFaultStore(random);
  // Initial faults are validated before binding, so a bad one rejects without leaking a server.
  for (const [endpoint, fault] of Object.entries(options.faults ?? {})) {
    faults.inject(endpoint as EndpointName, fault);
  }
  const scheduler = createScheduler();
  // Keys are made before listening so the routes can be built synchronously once the port is known.
  const keys = Object.fromEntries(
    await Promise.all(providerNames.map(async (name) => [name, await createSigningKey()] as const)),
  ) as Record<ProviderName, SigningKey>;

  let dispatch: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.destroy();
  const server = await listen((req, res) => dispatch(req, res), config);
  const url = originFor(config.host, server.port);
  const { urls, jwks, issuers } = addressesFor(url);
  const issuer = (name: ProviderName) => createTokenIssuer(issuers[name], keys[name], clock);
  const ttl = config.tokenTtl;
  const build: Record<ProviderName, () => Mount[]> = {
    layer: () =>
      layerMounts({
        issuer: issuer('layer'),
        credentials: credentials.layer,
        businesses: businesses.layer,
        ttl: ttl.layer,
        scope: config.layerScope,
        apiUrl: urls.layer.apiUrl,
        now: clock.now,
        uuid: derive.uuid,
        requests: apiRequests,
      }),
    thredfi: () =>
      thredfiMounts({
        issuer: issuer('thredfi'),
        credentials: credentials.thredfi,
        businesses: businesses.thredfi,
        partnerTtl: ttl.thredfi,
        businessTtl: ttl.thredfiBusiness,
        baseUrl: urls.thredfi.baseUrl,
      }),
    asset: () =>
      assetMounts({
        issuer: issuer('asset'),
        credentials: credentials.asset,
        businesses: businesses.asset,
        ttl: ttl.asset,
        baseUrl: urls.asset.baseUrl,
      }),
    layer1: () =>
      layer1Mounts({
        issuer: issuer('layer1'),
        credentials: credentials.layer1,
        ttl: ttl.layer1,
        apiUrl: urls.layer1.apiUrl,
        serviceAccountId: derive.uuid('layer1.serviceAccount'),
      }),
  };
  const info = { url, urls, credentials, businesses, jwks, providers: [...config.providers] };
  const rotateSecret = createRotation(credentials, derive);
  const mounts = [
    ...providerNames.filter((name) => config.providers.has(name)).flatMap((name) => build[name]()),
    adminMount({ stats, faults, clock, info, apiRequests, rotateSecret }),
  ];
  dispatch = createDispatcher({ router: createRouter(mounts), stats, faults, random, clock, scheduler });

  return {
    url,
    urls,
    credentials,
    businesses,
    jwks,
    stats: { count: stats.count, snapshot: stats.snapshot, reset: stats.reset },
    faults: { inject: faults.inject, clear: faults.clear },
    apiRequests: { list: apiRequests.list, summary: apiRequests.summary, clear: apiRequests.clear },
    clock: { setSkewMs: clock.setSkewMs, now: clock.now },
    rotateSecret,
    async close() {
      scheduler.close();
      await server.close();
    },
  };
}
