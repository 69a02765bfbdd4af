import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSessions, SESSION_COOKIE } from '../src/session.js';

let now = Date.parse('2025-01-01T00:00:00Z');
const users = new Set(['alice', 'bob']);
const sessions = createSessions({ secret: 'test-secret', users: () => users, now: () => now });
const other = createSessions({ secret: 'another-secret', users: () => users, now: () => now });

const app = express();
app.use(sessions.read);
app.post('/in/:user', (req, res) => {
  sessions.signIn(res, req.params.user);
  res.status(204).end();
});
app.post('/other/:user', (req, res) => {
  other.signIn(res, req.params.user);
  res.status(204).end();
});
app.post('/out', (_req, res) => {
  sessions.signOut(res);
  res.status(204).end();
});
app.get('/me', sessions.require, (req, res) => {
  res.json({ user: req.demoUser });
});

let base = '';
let server: ReturnType<typeof app.listen>;
beforeAll(async () => {
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

async function cookieFrom(path: string): Promise<{ header: string; value: string }> {
  const response = await fetch(`${base}${path}`, { method: 'POST' });
  const header = response.headers.get('set-cookie') ?? '';
  return { header, value: header.split(';')[0] ?? '' };
}
const me = (cookie: string) => fetch(`${base}/me`, { headers: { cookie } });

describe('signed session cookie', () => {
  it('is HttpOnly and SameSite=Lax, and identifies the user', async () => {
    const { header, value } = await cookieFrom('/in/alice');
    expect(header).toContain(`${SESSION_COOKIE}=alice.`);
    expect(header).toMatch(/; HttpOnly/);
    expect(header).toMatch(/; SameSite=Lax/);
    const response = await me(value);
    expect(await response.json()).toEqual({ user: 'alice' });
  });

  it('refuses a cookie whose user was changed, or signed with another secret', async () => {
    const { value } = await cookieFrom('/in/alice');
    expect((await me(value.replace('=alice.', '=bob.'))).status).toBe(401);
    const forged = await cookieFrom('/other/bob');
    expect((await me(forged.value)).status).toBe(401);
    expect((await me(`${SESSION_COOKIE}=bob`)).status).toBe(401);
    expect((await me('')).status).toBe(401);
  });

  it('expires after 8 hours and for users no longer configured', async () => {
    const { value } = await cookieFrom('/in/bob');
    now += 7 * 3600_000;
    expect((await me(value)).status).toBe(200);
    now += 2 * 3600_000;
    expect((await me(value)).status).toBe(401);
    const mallory = await cookieFrom('/in/mallory');
    expect((await me(mallory.value)).status).toBe(401);
  });

  it('signs out by clearing the cookie', async () => {
    const { header } = await cookieFrom('/out');
    expect(header).toMatch(new RegExp(`^${SESSION_COOKIE}=; Path=/; Max-Age=0`));
  });
});
