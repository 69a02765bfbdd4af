import { startSandbox, type Sandbox } from '@fintoken/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEdgeFleet, type EdgeFleet } from './support/workerd.js';

// The object's protocol, in workerd, sent raw by code that holds the binding (a bug, a second
// application on the same namespace): every malformed message is refused with a status and a
// message that names fields, never values; the lock is one lease at a time.

const SECRET = 'tok-7a1c-secret-do-not-echo';
let sandbox: Sandbox;
let fleet: EdgeFleet;
let n = 0;
const fresh = () => `guard-${++n}-${Date.now()}`;
const json = (v: unknown) => JSON.stringify(v);
const entry = (accessToken: string, lifeMs = 60_000) => ({ accessToken, tokenType: 'Bearer', expiresAt: Date.now() + lifeMs });

beforeAll(async () => {
  sandbox = await startSandbox();
  const { clientId, clientSecret } = sandbox.credentials.layer;
  fleet = await startEdgeFleet({ bindings: { LAYER_CLIENT_ID: clientId, LAYER_CLIENT_SECRET: clientSecret, LAYER_AUTH_URL: sandbox.urls.layer.authUrl, LAYER_API_URL: sandbox.urls.layer.apiUrl }, workers: 0 });
});

afterAll(async () => {
  await fleet?.close();
  await sandbox?.close();
});

describe('malformed messages', () => {
  it.each([
    ['an unknown operation', 'flush', json({ key: 'k' }), 404],
    ['not JSON', 'get', '{"key":', 400],
    ['no key', 'get', json({}), 400],
    ['an array', 'get', json([SECRET]), 400],
    ['a token without expiresAt', 'set', json({ key: 'k', token: { accessToken: SECRET, tokenType: 'Bearer' } }), 400],
    ['an empty access token', 'set', json({ key: 'k', token: { accessToken: '', tokenType: 'Bearer', expiresAt: Date.now() + 1_000 } }), 400],
    ['a lock TTL of 0', 'lock', json({ key: 'k', ttlMs: 0 }), 400],
    ['a lock TTL of a day', 'lock', json({ key: 'k', ttlMs: 86_400_000 }), 400],
    ['a wait of 10 minutes', 'wait', json({ key: 'k', timeoutMs: 600_000, previous: SECRET }), 400],
    ['a release without a lease', 'release', json({ key: SECRET }), 400],
    ['a body over 64 kB', 'set', json({ key: 'k', token: entry(SECRET.repeat(3_000)) }), 413],
  ])('%s: refused (%s → %i), nothing of the message echoed', async (_what, op, body, status) => {
    const res = await fleet.raw(op, body, fresh());
    expect(res.status).toBe(status);
    expect(JSON.parse(res.text)).toEqual({ error: expect.any(String) });
    expect(res.text).not.toContain(SECRET);
    expect(res.text).not.toContain('tok-7a1c');
  });

  it('a GET is refused (405)', async () => {
    expect((await fleet.raw('get', undefined, fresh(), 'GET')).status).toBe(405);
  });

  it('a refused set stores nothing', async () => {
    const name = fresh();
    await fleet.raw('set', json({ key: 'k', token: { ...entry(SECRET), expiresAt: 'soon' } }), name);
    expect(JSON.parse((await fleet.raw('get', json({ key: 'k' }), name)).text)).toEqual({});
  });
});

describe('tokens', () => {
  it('a set is read back whole; an expired one is not served', async () => {
    const name = fresh();
    const token = { ...entry('tok-a'), issuedAt: Date.now(), scope: ['read', 'write'], businessId: 'b-1' };
    expect((await fleet.raw('set', json({ key: 'k', token }), name)).status).toBe(200);
    expect(JSON.parse((await fleet.raw('get', json({ key: 'k' }), name)).text)).toEqual({ token });
    await fleet.raw('set', json({ key: 'old', token: entry('tok-b', 1) }), name);
    await new Promise((r) => setTimeout(r, 20));
    expect(JSON.parse((await fleet.raw('get', json({ key: 'old' }), name)).text)).toEqual({});
  });

  it('delete forgets the token', async () => {
    const name = fresh();
    await fleet.raw('set', json({ key: 'k', token: entry('tok-c') }), name);
    await fleet.raw('delete', json({ key: 'k' }), name);
    expect(JSON.parse((await fleet.raw('get', json({ key: 'k' }), name)).text)).toEqual({});
  });
});

describe('the lock', () => {
  const lock = async (name: string, ttlMs = 60_000) => JSON.parse((await fleet.raw('lock', json({ key: 'k', ttlMs }), name)).text) as { lease?: string };

  it('one lease at a time: of 50 concurrent takers exactly one gets it', async () => {
    const name = fresh();
    const answers = await Promise.all(Array.from({ length: 50 }, () => lock(name)));
    expect(answers.filter((a) => typeof a.lease === 'string')).toHaveLength(1);
  });

  it('release is compare-and-delete: a stale lease frees nothing, the holder frees it', async () => {
    const name = fresh();
    const { lease } = await lock(name);
    expect(JSON.parse((await fleet.raw('release', json({ key: 'k', lease: 'not-the-lease' }), name)).text)).toEqual({ released: false });
    expect((await lock(name)).lease).toBeUndefined();
    expect(JSON.parse((await fleet.raw('release', json({ key: 'k', lease }), name)).text)).toEqual({ released: true });
    expect((await lock(name)).lease).toEqual(expect.any(String));
  });

  it("a dead holder's lock lapses after its TTL and is retaken by exactly one", async () => {
    const name = fresh();
    expect((await lock(name, 300)).lease).toEqual(expect.any(String));
    expect((await lock(name)).lease).toBeUndefined();
    await new Promise((r) => setTimeout(r, 400));
    const answers = await Promise.all(Array.from({ length: 20 }, () => lock(name)));
    expect(answers.filter((a) => typeof a.lease === 'string')).toHaveLength(1);
  });

  it("the holder's write frees the lock (its release may never arrive: the Worker's request ended)", async () => {
    const name = fresh();
    const { lease } = await lock(name);
    await fleet.raw('set', json({ key: 'k', token: entry('tok-d') }), name);
    expect((await lock(name)).lease).toEqual(expect.any(String));
    // The late release of the first holder frees nothing of the second's.
    expect(JSON.parse((await fleet.raw('release', json({ key: 'k', lease }), name)).text)).toEqual({ released: false });
  });
});

describe('waiting', () => {
  it('every waiter is answered by one write, with that token; a waiter that has it already keeps waiting', async () => {
    const name = fresh();
    await fleet.raw('set', json({ key: 'k', token: entry('tok-old') }), name);
    const waiting = Array.from({ length: 30 }, () => fleet.raw('wait', json({ key: 'k', timeoutMs: 5_000, previous: 'tok-old' }), name));
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    await fleet.raw('set', json({ key: 'k', token: entry('tok-new') }), name);
    const answers = await Promise.all(waiting);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(new Set(answers.map((a) => (JSON.parse(a.text) as { token?: { accessToken: string } }).token?.accessToken))).toEqual(new Set(['tok-new']));
  });

  it('a waiter without news is answered empty at its timeout', async () => {
    const name = fresh();
    const started = Date.now();
    const res = await fleet.raw('wait', json({ key: 'k', timeoutMs: 300 }), name);
    expect(JSON.parse(res.text)).toEqual({});
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  it('a waiter whose token is already outdated is answered at once', async () => {
    const name = fresh();
    await fleet.raw('set', json({ key: 'k', token: entry('tok-now') }), name);
    const res = await fleet.raw('wait', json({ key: 'k', timeoutMs: 5_000, previous: 'tok-before' }), name);
    expect((JSON.parse(res.text) as { token: { accessToken: string } }).token.accessToken).toBe('tok-now');
  });
});
