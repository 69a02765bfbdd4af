import { startSandbox, type Sandbox } from '@fintoken/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEdgeFleet, type EdgeFleet } from './support/workerd.js';

const within = <T>(p: Promise<T>, ms: number): Promise<T> =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref())]);

// Tokens that expire during the test (Layer sandbox tokens of TTL_S seconds), a fleet of Workers
// calling all along: the refreshes ahead of expiry are shared too, and no caller ever gets a
// token past its end.

const TTL_S = 4;
const RUN_MS = 9_000;
const WORKERS = 3;

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ tokenTtl: { layer: TTL_S } });
});

afterAll(async () => {
  await sandbox?.close();
});

// workerd cancels a request's unfinished I/O once its response is sent: a refresh ahead left in
// the background of the request that started it would never settle, and every caller after the
// token's end would hang on it. With `waitUntil` the refresh runs in the background, kept alive;
// without it the caller that starts the refresh waits for it. Both must hold the fleet to one
// request per lifetime.
describe.each([
  ['with waitUntil from cloudflare:workers', '1'],
  ['without waitUntil', '0'],
])(`${WORKERS + 1} Workers under steady load for ${RUN_MS / 1000} s with ${TTL_S} s tokens, %s`, (_label, waitUntil) => {
  let fleet: EdgeFleet;

  beforeAll(async () => {
    const { clientId, clientSecret } = sandbox.credentials.layer;
    fleet = await startEdgeFleet({
      bindings: { LAYER_CLIENT_ID: clientId, LAYER_CLIENT_SECRET: clientSecret, LAYER_AUTH_URL: sandbox.urls.layer.authUrl, LAYER_API_URL: sandbox.urls.layer.apiUrl, WAIT_UNTIL: waitUntil },
      workers: WORKERS,
    });
  });

  afterAll(async () => {
    await fleet?.close();
  });

  it('one token request per token lifetime for the whole fleet, 0 failed calls, 0 expired tokens', async () => {
    sandbox.stats.reset();
    const started = Date.now();
    let calls = 0;
    let failed = 0;
    let expired = 0;
    const tokens = new Set<unknown>();
    while (Date.now() - started < RUN_MS) {
      // Bounded: a hung call fails the test in seconds instead of at the test timeout.
      const round = await Promise.all(fleet.names.flatMap((name) => Array.from({ length: 5 }, () => within(fleet.get(name, '/token'), 5_000))));
      for (const a of round) {
        calls += 1;
        if (a.status !== 200) failed += 1;
        else if (!((a.body.expiresAt as number) > (a.body.now as number))) expired += 1;
        tokens.add(a.body.fingerprint);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    const requests = sandbox.stats.count('layer.token');
    // Core keeps min(10 s, 10 %) of a token's life as a safety margin and serves a token this short
    // for 80 % of what is left before refreshing: one load every 0.72 × TTL.
    const lifetimes = RUN_MS / 1000 / (TTL_S * 0.9 * 0.8);
    const storeErrors: Record<string, unknown> = {};
    for (const name of fleet.names) {
      const events = (await fleet.get(name, '/events')).body;
      for (const [k, v] of Object.entries(events)) if (k.startsWith('store.error') || k === 'lastStoreError') storeErrors[`${name} ${k}`] = v;
    }
    // One summary, so a failure says everything at once.
    const summary = { failed, expired, requests, distinctTokens: tokens.size, storeErrors };
    expect(summary, JSON.stringify(summary)).toMatchObject({ failed: 0, expired: 0, storeErrors: {} });
    expect(calls).toBeGreaterThan(100);
    // ceil(9 / 2.88) = 4 loads, one more for timing.
    expect(requests, JSON.stringify(summary)).toBeLessThanOrEqual(Math.ceil(lifetimes) + 1);
    expect(requests, JSON.stringify(summary)).toBeGreaterThanOrEqual(2);
    expect(tokens.size, JSON.stringify(summary)).toBeLessThanOrEqual(requests);
  });
});
