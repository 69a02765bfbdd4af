import { describe, expect, it, vi } from 'vitest';
import { AuthenticationError, ConfigurationError, ProviderError } from '../src/index.js';
import { createCredential, isSecretString, withCredential } from '../src/credential.js';

const options = { name: 'clientSecret', factory: 'createTestClient', accept: isSecretString, expected: 'a non-empty string' };
const refused = () => new AuthenticationError('The test token endpoint answered 401 invalid_client. Check the credentials.', { status: 401, provider: 'test' });

describe('createCredential', () => {
  it('checks a fixed value at once and never reads it again', async () => {
    expect(() => createCredential('', options)).toThrow(ConfigurationError);
    expect(() => createCredential(undefined as unknown as string, options)).toThrow(/clientSecret: is required/);
    const fixed = createCredential('s3cret-value', options);
    expect(fixed.rotates).toBe(false);
    await expect(fixed.current()).resolves.toBe('s3cret-value');
    await expect(fixed.reread('s3cret-value')).resolves.toBe(false);
  });

  it('reads a function on first use only, and once for every caller that saw the same refusal', async () => {
    let version = 1;
    const read = vi.fn(async () => {
      await new Promise((r) => setTimeout(r, 5));
      return `secret-v${version}`;
    });
    const seen: string[] = [];
    const credential = createCredential(read, { ...options, onValue: (v) => seen.push(v) });
    expect(read).not.toHaveBeenCalled();
    const [a, b] = await Promise.all([credential.current(), credential.current()]);
    expect([a, b]).toEqual(['secret-v1', 'secret-v1']);
    expect(read).toHaveBeenCalledTimes(1);
    version = 2;
    const changed = await Promise.all(Array.from({ length: 20 }, () => credential.reread('secret-v1')));
    expect(changed.every(Boolean)).toBe(true);
    expect(read).toHaveBeenCalledTimes(2);
    // A late caller refused with the old value is told to retry, without another read.
    await expect(credential.reread('secret-v1')).resolves.toBe(true);
    expect(read).toHaveBeenCalledTimes(2);
    await expect(credential.current()).resolves.toBe('secret-v2');
    expect(seen).toEqual(['secret-v1', 'secret-v2']);
  });

  it('fails with a ConfigurationError naming the option, never the value or the thrown text', async () => {
    const throwing = createCredential(() => {
      throw new Error('vault said: the secret is hunter2-hunter2');
    }, options);
    const error = await throwing.current().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(String((error as Error).message)).toMatch(/clientSecret function failed \(Error\)/);
    expect(JSON.stringify(error)).not.toContain('hunter2');
    const empty = createCredential(async () => '', options);
    await expect(empty.current()).rejects.toThrow(/clientSecret: function returned something that is not a non-empty string/);
    // A failed read is not remembered: the next call reads again.
    let calls = 0;
    const flaky = createCredential(async () => (++calls === 1 ? Promise.reject(new Error('x')) : 'ok-secret'), options);
    await expect(flaky.current()).rejects.toBeInstanceOf(ConfigurationError);
    await expect(flaky.current()).resolves.toBe('ok-secret');
  });
});

describe('withCredential', () => {
  it('retries once with the new value after a refusal, and the refusal reaches no one', async () => {
    let stored = 'old-secret';
    const credential = createCredential(() => stored, options);
    const call = vi.fn(async (secret: string) => {
      if (secret !== 'new-secret') throw refused();
      return 'token';
    });
    await expect(withCredential(credential, call)).rejects.toBeInstanceOf(AuthenticationError);
    expect(call).toHaveBeenCalledTimes(1); // unchanged after the re-read: no second attempt
    stored = 'new-secret';
    await expect(withCredential(credential, call)).resolves.toBe('token');
    expect(call.mock.calls.map(([s]) => s)).toEqual(['old-secret', 'old-secret', 'new-secret']);
  });

  it('never re-reads for other errors or fixed values', async () => {
    const read = vi.fn(() => 'a-secret');
    const credential = createCredential(read, options);
    await expect(withCredential(credential, async () => Promise.reject(new ProviderError('503', { status: 503 })))).rejects.toBeInstanceOf(ProviderError);
    expect(read).toHaveBeenCalledTimes(1);
    const fixed = createCredential('fixed-secret', options);
    const call = vi.fn(async () => Promise.reject(refused()));
    await expect(withCredential(fixed, call)).rejects.toBeInstanceOf(AuthenticationError);
    expect(call).toHaveBeenCalledTimes(1);
  });
});
