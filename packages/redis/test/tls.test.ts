import { inspect } from 'node:util';
import { ConfigurationError, type FintokenEvent } from '@fintoken/core';
import { startSandbox, type Sandbox } from '@fintoken/sandbox';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bounded } from '../src/bounded.js';
import { driverForUrl } from '../src/connect.js';
import { createRedisStore, type RedisStore } from '../src/index.js';
import { collectEvents, eventually, layer1Client, makeToken, uniquePrefix } from './helpers.js';
import { startProxy, type TcpProxy } from './proxy.js';
import { startTlsRedis, type TlsRedis } from './tlsRedis.js';

// `rediss://` to a redis-server of our own that speaks only TLS, its certificate signed by a CA
// this test makes. What an operator gets wrong (no CA, the wrong CA, a host the certificate does
// not name, the wrong password) must be a clear store.error, never a secret, and never a stall.
const PASSWORD = 'Redis-Password-Canary-4417';

let server: TlsRedis;
let sandbox: Sandbox;
let proxy: TcpProxy | undefined;
const stores: RedisStore[] = [];

function store(options: Parameters<typeof createRedisStore>[0]): RedisStore {
  const s = createRedisStore({ prefix: uniquePrefix(), operationTimeoutMs: 400, ...options });
  stores.push(s);
  return s;
}

const url = (host = '127.0.0.1', port = server.port, password = PASSWORD) => `rediss://:${encodeURIComponent(password)}@${host}:${port}`;

/** No trace of the password or of the URL anywhere an operator's logs could see. */
function expectNoSecret(...things: unknown[]): void {
  for (const thing of things) {
    const text = `${JSON.stringify(thing)} ${inspect(thing, { depth: 6 })} ${String(thing)}`;
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(encodeURIComponent(PASSWORD));
    expect(text).not.toContain('rediss://:');
  }
}

async function connectionError(events: FintokenEvent[]): Promise<FintokenEvent> {
  await eventually(() => events.some((e) => e.reason === 'connection'), 10_000, 'a connection store.error');
  return events.find((e) => e.reason === 'connection') as FintokenEvent;
}

beforeAll(async () => {
  [server, sandbox] = await Promise.all([startTlsRedis(PASSWORD), startSandbox()]);
}, 60_000);

afterEach(async () => {
  for (const s of stores.splice(0)) await s.quit();
  await proxy?.close();
  proxy = undefined;
});

afterAll(async () => {
  await server?.close();
  await sandbox?.close();
});

describe('rediss:// with a private CA', () => {
  it('round-trips tokens and shares them between instances', async () => {
    const s = store({ url: url(), tls: { ca: server.ca } });
    const token = makeToken(Date.now());
    await s.set('k', token);
    expect((await s.get('k'))?.accessToken).toBe(token.accessToken);

    const baseline = sandbox.stats.count('layer1.token');
    const a = await layer1Client(sandbox, { store: s }).getToken();
    const b = await layer1Client(sandbox, { store: s }).getToken();
    expect(b.accessToken).toBe(a.accessToken);
    expect(sandbox.stats.count('layer1.token')).toBe(baseline + 1);
  });

  it('opens the same connection with node-redis when ioredis is not installed (tls under `socket`)', async () => {
    const notInstalled = () => Promise.reject(Object.assign(new Error('absent'), { code: 'ERR_MODULE_NOT_FOUND' }));
    const driver = driverForUrl(url(), () => undefined, { ioredis: notInstalled, redis: () => import('redis') }, { ca: server.ca });
    try {
      expect(await bounded('SET', driver.set('fintoken-test:tls-node', 'v', 10_000, false), 5_000)).toBe(true);
      expect(await bounded('GET', driver.get('fintoken-test:tls-node'), 5_000)).toBe('v');
    } finally {
      await driver.close();
    }
  });

  it('keeps the token off the wire: an eavesdropper between the store and Redis sees only TLS records', async () => {
    const seen: Buffer[] = [];
    proxy = await startProxy(`redis://127.0.0.1:${server.port}`, { onData: (chunk) => seen.push(chunk) });
    const port = Number(new URL(proxy.url).port);
    const s = store({ url: url('127.0.0.1', port), tls: { ca: server.ca } });
    const token = makeToken(Date.now());
    await s.set('wire', token);
    expect((await s.get('wire'))?.accessToken).toBe(token.accessToken);
    const wire = Buffer.concat(seen).toString('latin1');
    expect(wire.length).toBeGreaterThan(0);
    for (const needle of [token.accessToken, token.accessToken.slice(-24), 'accessToken', PASSWORD, 'AUTH']) expect(wire).not.toContain(needle);
  });
});

describe('what an operator gets wrong is a clear store.error, without the password', () => {
  it.each([
    ['no CA given (only the system CAs)', () => ({ url: url() }), /SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT/, /tls\.ca/],
    ['another CA', () => ({ url: url(), tls: { ca: server.otherCa } }), /SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT/, /tls\.ca/],
    ['a host the certificate does not name', () => ({ url: url('localhost'), tls: { ca: server.ca } }), /ERR_TLS_CERT_ALTNAME_INVALID/, /does not name the host/],
    ['the wrong password', () => ({ url: url('127.0.0.1', server.port, 'not-the-password'), tls: { ca: server.ca } }), /WRONGPASS/, /refused the credentials/],
  ])('%s', async (_name, options, code, advice) => {
    const { events, onEvent } = collectEvents();
    const s = store({ ...options(), onEvent });
    const started = performance.now();
    const error = await s.get('k').catch((e: unknown) => e);
    // Bounded like every command: the caller is never stuck behind a handshake that cannot succeed.
    expect(error).toBeInstanceOf(Error);
    expect(performance.now() - started).toBeLessThan(400 + 1_500);
    const event = await connectionError(events);
    expect(event).toMatchObject({ type: 'store.error', reason: 'connection' });
    expect(event.message).toMatch(code);
    expect(event.message).toMatch(advice);
    // One event per distinct failure, not one per reconnect attempt.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(events.filter((e) => e.reason === 'connection').length).toBeLessThanOrEqual(2);
    expectNoSecret(events, error, s);

    // Through a client the fleet still gets its token, from the provider.
    const clientEvents = collectEvents();
    const token = await layer1Client(sandbox, { store: s, onEvent: clientEvents.onEvent }).getToken();
    expect(token.accessToken).toMatch(/^eyJ/);
    expectNoSecret(clientEvents.events);
  });

  it('refuses rejectUnauthorized: false, and tls without a rediss:// url', () => {
    for (const options of [
      { url: url(), tls: { rejectUnauthorized: false } },
      { url: `redis://127.0.0.1:${server.port}`, tls: { ca: server.ca } },
      { client: undefined, tls: { ca: server.ca } },
    ]) {
      const error = (() => {
        try {
          createRedisStore(options as never);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as Error).message).toMatch(/tls:/);
      expectNoSecret(error);
    }
  });
});
