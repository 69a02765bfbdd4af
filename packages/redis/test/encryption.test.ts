import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { ConfigurationError } from '@fintoken/core';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisStore } from '../src/index.js';
import { collectEvents, deleteKeys, makeToken, rawClient, uniquePrefix } from './helpers.js';

const prefix = uniquePrefix();
const keyBytes = randomBytes(32);
let redis: Redis;

beforeAll(() => {
  redis = rawClient();
});

afterAll(async () => {
  await deleteKeys(redis, prefix);
  redis.disconnect();
});

describe('encryption at rest', () => {
  it('stores a value a plain client cannot read: neither the token nor its JSON', async () => {
    const store = createRedisStore({ client: redis, prefix, encryptionKey: keyBytes });
    const token = makeToken(Date.now(), 60_000, { businessId: 'biz-42', scope: ['tenants:view'] });
    await store.set('enc', token);

    const raw = (await redis.get(`${prefix}{enc}:token`)) as string;
    expect(raw).toMatch(/^v1\.[\w-]{16}\.[\w-]{22}\.[\w-]+$/);
    for (const needle of [token.accessToken, token.accessToken.slice(0, 20), 'accessToken', 'Bearer', 'biz-42', 'tenants:view', '{']) {
      expect(raw).not.toContain(needle);
    }
    // base64url of the JSON would still be readable to anyone: make sure it is not that either.
    expect(Buffer.from(raw.split('.')[3] as string, 'base64url').toString('utf8')).not.toContain('accessToken');

    expect(await store.get('enc')).toEqual({ ...token });
  });

  it('uses a fresh IV for every write', async () => {
    const store = createRedisStore({ client: redis, prefix, encryptionKey: keyBytes });
    const token = makeToken(Date.now());
    await store.set('iv', token);
    const first = await redis.get(`${prefix}{iv}:token`);
    await store.set('iv', token);
    expect(await redis.get(`${prefix}{iv}:token`)).not.toBe(first);
  });

  it('accepts the key as bytes, hex, base64 and base64url alike', async () => {
    const writer = createRedisStore({ client: redis, prefix, encryptionKey: new Uint8Array(keyBytes) });
    const token = makeToken(Date.now());
    await writer.set('formats', token);
    for (const encryptionKey of [keyBytes.toString('hex'), keyBytes.toString('base64'), keyBytes.toString('base64url')]) {
      const reader = createRedisStore({ client: redis, prefix, encryptionKey });
      expect((await reader.get('formats'))?.accessToken).toBe(token.accessToken);
    }
  });

  it('treats a value encrypted with another key as a miss, with an event', async () => {
    const writer = createRedisStore({ client: redis, prefix, encryptionKey: keyBytes });
    await writer.set('other-key', makeToken(Date.now()));
    const { events, onEvent } = collectEvents();
    const reader = createRedisStore({ client: redis, prefix, encryptionKey: randomBytes(32), onEvent });
    await expect(reader.get('other-key')).resolves.toBeUndefined();
    expect(events).toEqual([expect.objectContaining({ type: 'store.error', key: 'other-key', reason: 'undecryptable' })]);

    const { events: plainEvents, onEvent: onPlainEvent } = collectEvents();
    const plain = createRedisStore({ client: redis, prefix, onEvent: onPlainEvent });
    await expect(plain.get('other-key')).resolves.toBeUndefined();
    expect(plainEvents).toEqual([expect.objectContaining({ reason: 'undecryptable' })]);
  });

  it('refuses a plaintext entry when encryption is on (it could have been planted)', async () => {
    await createRedisStore({ client: redis, prefix }).set('planted', makeToken(Date.now()));
    const { events, onEvent } = collectEvents();
    const store = createRedisStore({ client: redis, prefix, encryptionKey: keyBytes, onEvent });
    await expect(store.get('planted')).resolves.toBeUndefined();
    expect(events).toEqual([expect.objectContaining({ reason: 'unencrypted' })]);
  });

  it('refuses a ciphertext copied under another key, and a tampered one', async () => {
    const store = createRedisStore({ client: redis, prefix, encryptionKey: keyBytes });
    await store.set('business-a', makeToken(Date.now(), 60_000, { businessId: 'a' }));
    const value = (await redis.get(`${prefix}{business-a}:token`)) as string;

    await redis.set(`${prefix}{business-b}:token`, value, 'PX', 60_000);
    await expect(store.get('business-b')).resolves.toBeUndefined();

    const parts = value.split('.');
    const ciphertext = Buffer.from(parts[3] as string, 'base64url');
    ciphertext[0] = (ciphertext[0] as number) ^ 1;
    parts[3] = ciphertext.toString('base64url');
    await redis.set(`${prefix}{business-a}:token`, parts.join('.'), 'PX', 60_000);
    await expect(store.get('business-a')).resolves.toBeUndefined();

    await redis.set(`${prefix}{business-a}:token`, 'v1.short.parts', 'PX', 60_000);
    await expect(store.get('business-a')).resolves.toBeUndefined();
  });

  it.each<[string, unknown]>([
    ['31 bytes', randomBytes(31)],
    ['33 bytes of hex', randomBytes(33).toString('hex')],
    ['a passphrase', 'correct horse battery staple s3cret'],
    ['a number', 42],
  ])('rejects a key of %s with a ConfigurationError that does not quote it', (_name, encryptionKey) => {
    let error: unknown;
    try {
      createRedisStore({ client: redis, prefix, encryptionKey: encryptionKey as never });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    const text = `${(error as Error).message} ${inspect(error)} ${JSON.stringify(error)}`;
    expect(text).toContain('encryptionKey');
    expect(text).not.toContain('s3cret');
    if (Buffer.isBuffer(encryptionKey)) {
      expect(text).not.toContain(encryptionKey.toString('hex'));
      expect(text).not.toContain(encryptionKey.toString('base64'));
    } else if (typeof encryptionKey === 'string') expect(text).not.toContain(encryptionKey);
  });

  it('never shows the key in inspect or JSON', () => {
    const store = createRedisStore({ client: redis, prefix, encryptionKey: keyBytes.toString('base64') });
    const text = `${inspect(store, { showHidden: true, depth: 10 })} ${JSON.stringify(store)}`;
    for (const form of ['hex', 'base64', 'base64url'] as const) expect(text).not.toContain(keyBytes.toString(form));
    expect(store.encrypted).toBe(true);
  });
});
