import { ConfigurationError } from '@fintoken/core';
import { afterAll, describe, expect, it } from 'vitest';
import { bounded } from '../src/bounded.js';
import { driverForUrl, type Loaders } from '../src/connect.js';
import { deleteKeys, rawClient, REDIS_URL, uniquePrefix } from './helpers.js';

const prefix = uniquePrefix();
const raw = rawClient();

afterAll(async () => {
  await deleteKeys(raw, prefix);
  raw.disconnect();
});

const notInstalled = (name: string) => () =>
  Promise.reject(Object.assign(new Error(`Cannot find package '${name}'`), { code: 'ERR_MODULE_NOT_FOUND' }));

describe('a connection opened from url', () => {
  it('uses node-redis when ioredis is not installed', async () => {
    const load: Loaders = { ioredis: notInstalled('ioredis') as Loaders['ioredis'], redis: () => import('redis') };
    const driver = driverForUrl(REDIS_URL, () => undefined, load);
    expect(await bounded('SET', driver.set(`${prefix}node-url`, 'value', 10_000, false), 5_000)).toBe(true);
    expect(await raw.get(`${prefix}node-url`)).toBe('value');
    expect(await driver.get(`${prefix}node-url`)).toBe('value');
    await driver.close();
  });

  it('says which package to install when neither is', async () => {
    const load = { ioredis: notInstalled('ioredis'), redis: notInstalled('redis') } as unknown as Loaders;
    const driver = driverForUrl(REDIS_URL, () => undefined, load);
    const error = await driver.get('x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toContain('ioredis or the redis package');
  });
});
