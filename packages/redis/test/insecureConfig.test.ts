import { randomBytes } from 'node:crypto';
import { ConfigurationError } from '@fintoken/core';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRedisStore } from '../src/index.js';
import { isPlaintextRemote } from '../src/transport.js';
import { deleteKeys, makeToken, rawClient, REDIS_URL, uniquePrefix } from './helpers.js';
import { startProxy, type TcpProxy } from './proxy.js';

// Two ways an operator ends up with readable tokens without meaning to, attacked as an
// attacker would: the README's own `encryptionKey: process.env.FINTOKEN_REDIS_KEY` with the
// variable unset, and a plain redis:// connection across a network.
const prefix = uniquePrefix();
let raw: Redis;
let proxy: TcpProxy | undefined;
const opened: Redis[] = [];

beforeAll(() => {
  raw = rawClient();
});

afterEach(async () => {
  for (const c of opened.splice(0)) c.disconnect();
  await proxy?.close();
  proxy = undefined;
});

afterAll(async () => {
  await deleteKeys(raw, prefix);
  raw.disconnect();
});

function client(url = REDIS_URL): Redis {
  const c = new Redis(url);
  c.on('error', () => undefined);
  opened.push(c);
  return c;
}

describe('an encryptionKey that is given but empty', () => {
  const unset = process.env.FINTOKEN_TEST_SURELY_UNSET_KEY;
  it.each([
    ['an unset environment variable', unset],
    ['undefined', undefined],
    ['null', null],
    ['an empty string', ''],
    ['whitespace', '  \n'],
    ['an empty Buffer', Buffer.alloc(0)],
  ])('is a ConfigurationError (%s), not plain-JSON storage: an attacker reading Redis finds nothing', async (_name, encryptionKey) => {
    const p = `${prefix}empty-key:`;
    let store: ReturnType<typeof createRedisStore> | undefined;
    const error = (() => {
      try {
        store = createRedisStore({ client: raw, prefix: p, encryptionKey: encryptionKey as never });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(/encryptionKey: is given but empty.*leave the option out/);
    expect(store).toBeUndefined();
    // No store, so nothing was or could be written in the clear.
    expect(await raw.keys(`${p}*`)).toEqual([]);
  });

  it('still stores plain JSON when the option is left out, as documented', async () => {
    const store = createRedisStore({ client: raw, prefix });
    expect(store.encrypted).toBe(false);
  });
});

describe('a plain redis:// connection to a remote host', () => {
  it('warns once per process (SecurityWarning FINTOKEN_REDIS_PLAINTEXT), naming neither host nor password', async () => {
    const warnings: Error[] = [];
    const listen = (w: Error) => warnings.push(w);
    process.on('warning', listen);
    try {
      // Never connects (lazyConnect): the check reads the client's options only.
      const remote = new Redis({ host: 'redis.internal.example', port: 6379, password: 'Remote-Password-Canary', lazyConnect: true });
      createRedisStore({ client: remote, prefix });
      createRedisStore({ client: remote, prefix: `${prefix}again:` });
      await new Promise((r) => setImmediate(r));
      const ours = warnings.filter((w) => (w as { code?: string }).code === 'FINTOKEN_REDIS_PLAINTEXT');
      expect(ours).toHaveLength(1);
      expect(ours[0]?.name).toBe('SecurityWarning');
      expect(ours[0]?.message).toMatch(/rediss:\/\/.*encryptionKey/);
      expect(`${ours[0]?.message}`).not.toMatch(/redis\.internal|Remote-Password-Canary/);
      remote.disconnect();
    } finally {
      process.off('warning', listen);
    }
  });

  it.each([
    ['a redis:// url to a remote host', undefined, 'redis://:pw@cache.example.com:6379', true],
    ['a rediss:// url', undefined, 'rediss://:pw@cache.example.com:6379', false],
    ['a loopback url', undefined, 'redis://127.0.0.1:6379', false],
    ['localhost', undefined, 'redis://localhost:6379', false],
    ['IPv6 loopback', undefined, 'redis://[::1]:6379', false],
    ['an ioredis client to a remote host', new Redis({ host: '10.0.0.7', lazyConnect: true }), undefined, true],
    ['an ioredis client with tls', new Redis({ host: '10.0.0.7', tls: {}, lazyConnect: true }), undefined, false],
    ['an ioredis client on loopback', new Redis({ host: '127.0.0.1', lazyConnect: true }), undefined, false],
    ['an ioredis Cluster of remote nodes', new Redis.Cluster([{ host: '10.0.0.7', port: 7000 }], { lazyConnect: true }), undefined, true],
    ['an ioredis Cluster with tls', new Redis.Cluster([{ host: '10.0.0.7', port: 7000 }], { lazyConnect: true, redisOptions: { tls: {} } }), undefined, false],
    ['a node-redis client to a remote host', createClient({ url: 'redis://10.0.0.7:6379' }), undefined, true],
    ['a node-redis client with rediss://', createClient({ url: 'rediss://10.0.0.7:6379' }), undefined, false],
  ])('tells plain text to a remote host apart: %s', (_name, c, url, plaintext) => {
    expect(isPlaintextRemote(c, url)).toBe(plaintext);
    // ioredis objects made with lazyConnect hold nothing open, but say so; node-redis ones were never connected.
    if (c instanceof Redis || c instanceof Redis.Cluster) c.disconnect();
  });

  it('is what an eavesdropper reads without encryptionKey, and cannot read with it', async () => {
    const seen: Buffer[] = [];
    proxy = await startProxy(REDIS_URL, { onData: (chunk) => seen.push(chunk) });
    const token = makeToken(Date.now(), 60_000, { businessId: 'biz-eavesdropped' });

    const plain = createRedisStore({ client: client(proxy.url), prefix });
    await plain.set('wire', token);
    expect(Buffer.concat(seen.splice(0)).toString('latin1')).toContain(token.accessToken);

    const encrypted = createRedisStore({ client: client(proxy.url), prefix, encryptionKey: randomBytes(32) });
    await encrypted.set('wire', token);
    expect((await encrypted.get('wire'))?.accessToken).toBe(token.accessToken);
    const wire = Buffer.concat(seen).toString('latin1');
    for (const needle of [token.accessToken, token.accessToken.slice(-24), 'accessToken', 'biz-eavesdropped']) expect(wire).not.toContain(needle);
  });
});
