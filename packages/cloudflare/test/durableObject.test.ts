import { rm } from 'node:fs/promises';
import { startSandbox, type Sandbox } from '@fintoken/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEdgeFleet, tempDir, type EdgeFleet } from './support/workerd.js';

// The store in workerd itself (miniflare 4): several Workers, each its own isolate with its own
// fintoken client, bound to one Durable Object namespace, against the Layer sandbox on loopback.
// The sandbox counts what reaches it; nothing in the Workers is mocked.

const WORKERS = 4;
const PER_WORKER = 75;

let sandbox: Sandbox;
let bindings: Record<string, string>;

beforeAll(async () => {
  sandbox = await startSandbox();
  const { clientId, clientSecret } = sandbox.credentials.layer;
  bindings = { LAYER_CLIENT_ID: clientId, LAYER_CLIENT_SECRET: clientSecret, LAYER_AUTH_URL: sandbox.urls.layer.authUrl, LAYER_API_URL: sandbox.urls.layer.apiUrl };
});

afterAll(async () => {
  await sandbox?.close();
});

/** `count` concurrent requests to every Worker at once. */
async function burst(fleet: EdgeFleet, path: string, count: number) {
  const answers = await Promise.all(fleet.names.flatMap((name) => Array.from({ length: count }, () => fleet.get(name, path))));
  return {
    statuses: new Set(answers.map((a) => a.status)),
    fingerprints: new Set(answers.map((a) => a.body.fingerprint)),
    answers,
  };
}

describe('a fleet of Workers on one Durable Object namespace', () => {
  let fleet: EdgeFleet;
  let persist: string;

  beforeAll(async () => {
    persist = await tempDir();
    fleet = await startEdgeFleet({ bindings, workers: WORKERS, persist });
  });

  afterAll(async () => {
    await fleet?.close();
    await rm(persist, { recursive: true, force: true });
  });

  it(`${WORKERS + 1} Workers x ${PER_WORKER} concurrent cold requests make 1 token request`, async () => {
    sandbox.stats.reset();
    const { statuses, fingerprints, answers } = await burst(fleet, '/token', PER_WORKER);
    expect(answers).toHaveLength((WORKERS + 1) * PER_WORKER);
    expect([...statuses]).toEqual([200]);
    expect(fingerprints.size).toBe(1);
    expect(sandbox.stats.count('layer.token')).toBe(1);
  });

  it('business tokens too: one mint per business for the whole fleet, on the one shared client token', async () => {
    sandbox.stats.reset();
    const [a, b] = sandbox.businesses.layer.active as [string, string];
    const [first, second] = await Promise.all([burst(fleet, `/token?business=${a}`, 40), burst(fleet, `/token?business=${b}`, 40)]);
    expect([...first.statuses, ...second.statuses]).toEqual([200, 200]);
    expect(first.fingerprints.size).toBe(1);
    expect(second.fingerprints.size).toBe(1);
    expect(sandbox.stats.count('layer.businessToken')).toBe(2);
    expect(sandbox.stats.count('layer.token')).toBe(0);
  });

  it('a warm isolate answers from its own memory: no object call, no token request', async () => {
    sandbox.stats.reset();
    const { statuses, fingerprints } = await burst(fleet, '/token', 20);
    expect([...statuses]).toEqual([200]);
    expect(fingerprints.size).toBe(1);
    expect(sandbox.stats.count('layer.token')).toBe(0);
  });

  it('a 401 in one Worker replaces the token once; the same 401 in every other Worker is answered with that token by the object', async () => {
    // Every Worker has handed out the token the API now rejects.
    const before = (await burst(fleet, '/token', 1)).fingerprints;
    expect(before.size).toBe(1);
    const old = [...before][0] as string;
    sandbox.stats.reset();
    const replaced = await fleet.get('edge-1', `/token?rejected=${old}`);
    expect(replaced.status).toBe(200);
    expect(replaced.body.fingerprint).not.toBe(old);
    expect(sandbox.stats.count('layer.token')).toBe(1);
    // The other isolates still hold the old token in memory until the API rejects it; their
    // refresh (rejectedToken: the old one) finds the object already holds a newer token.
    const others = await Promise.all(fleet.names.filter((n) => n !== 'edge-1').flatMap((n) => Array.from({ length: 10 }, () => fleet.get(n, `/token?rejected=${old}`))));
    expect(new Set(others.map((o) => o.status))).toEqual(new Set([200]));
    expect(new Set(others.map((o) => o.body.fingerprint))).toEqual(new Set([replaced.body.fingerprint]));
    expect(sandbox.stats.count('layer.token')).toBe(1);
  });

  it('restarted (workerd, every isolate and the object gone from memory), the fleet loses nothing: the token comes from the object storage', async () => {
    const { fingerprints: was } = await burst(fleet, '/token', 5);
    expect(was.size).toBe(1);
    await fleet.close();
    fleet = await startEdgeFleet({ bindings, workers: WORKERS, persist });
    sandbox.stats.reset();
    const { statuses, fingerprints } = await burst(fleet, '/token', 50);
    expect([...statuses]).toEqual([200]);
    expect([...fingerprints]).toEqual([...was]);
    expect(sandbox.stats.count('layer.token')).toBe(0);
    expect((await fleet.get('host', '/events')).body['store.error:get']).toBeUndefined();
  });
});

describe('the control: the same Workers without the store', () => {
  it(`make one token request per isolate (${WORKERS + 1})`, async () => {
    const fleet = await startEdgeFleet({ bindings: { ...bindings, SHARED: '0' }, workers: WORKERS });
    try {
      sandbox.stats.reset();
      const { statuses, fingerprints } = await burst(fleet, '/token', 40);
      expect([...statuses]).toEqual([200]);
      expect(fingerprints.size).toBe(WORKERS + 1);
      expect(sandbox.stats.count('layer.token')).toBe(WORKERS + 1);
    } finally {
      await fleet.close();
    }
  });
});
