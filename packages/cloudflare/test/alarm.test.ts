import { describe, expect, it } from 'vitest';
import { FintokenTokenObject, type DurableObjectStorageLike } from '../src/index.js';

// What the object leaves in its storage over time, read back from a key-value storage with the
// Durable Object storage interface (get, put, delete, list, one alarm). workerd runs alarms on
// its own schedule; here the test calls alarm() at the times the object asked for.

function memoryStorage() {
  const data = new Map<string, unknown>();
  let alarm: number | null = null;
  const storage: DurableObjectStorageLike = {
    get: async <T>(k: string) => structuredClone(data.get(k)) as T | undefined,
    put: async (k, v) => void data.set(k, structuredClone(v)),
    delete: async (k) => data.delete(k),
    list: async <T>() => new Map([...data].sort(([a], [b]) => a.localeCompare(b))) as Map<string, T>,
    setAlarm: async (t) => void (alarm = t),
    getAlarm: async () => alarm,
  };
  return { storage, data, alarm: () => alarm };
}

const call = async (object: FintokenTokenObject, op: string, body: unknown) => {
  const res = await object.fetch(new Request(`https://fintoken.object/${op}`, { method: 'POST', body: JSON.stringify(body) }));
  return (await res.json()) as Record<string, unknown>;
};

describe('storage over time', () => {
  it('an alarm at the earliest expiry deletes expired tokens and lapsed locks, and sets the next one', async () => {
    const s = memoryStorage();
    const object = new FintokenTokenObject({ storage: s.storage });
    const now = Date.now();
    await call(object, 'set', { key: 'short', token: { accessToken: 'a', tokenType: 'Bearer', expiresAt: now + 40 } });
    await call(object, 'set', { key: 'long', token: { accessToken: 'b', tokenType: 'Bearer', expiresAt: now + 60_000 } });
    await call(object, 'lock', { key: 'other', ttlMs: 30 });
    expect(s.alarm()).toBeLessThanOrEqual(now + 40);
    expect([...s.data.keys()].sort()).toEqual(['lock:other', 'token:long', 'token:short']);
    await new Promise((r) => setTimeout(r, 60));
    await object.alarm();
    expect([...s.data.keys()]).toEqual(['token:long']);
    expect(s.alarm()).toBe(now + 60_000);
  });

  it('a new instance on the same storage (eviction, restart) has the token and honours a held lock', async () => {
    const s = memoryStorage();
    const first = new FintokenTokenObject({ storage: s.storage });
    await call(first, 'set', { key: 'k', token: { accessToken: 'tok-1', tokenType: 'Bearer', expiresAt: Date.now() + 60_000 } });
    const { lease } = await call(first, 'lock', { key: 'k', ttlMs: 60_000 });
    const second = new FintokenTokenObject({ storage: s.storage });
    expect(((await call(second, 'get', { key: 'k' })).token as { accessToken: string }).accessToken).toBe('tok-1');
    expect(await call(second, 'lock', { key: 'k', ttlMs: 60_000 })).toEqual({});
    expect(await call(second, 'release', { key: 'k', lease })).toEqual({ released: true });
    expect((await call(second, 'lock', { key: 'k', ttlMs: 60_000 })).lease).toEqual(expect.any(String));
  });
});
