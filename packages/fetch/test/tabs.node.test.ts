import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAuthFetch, type AuthFetch, type FintokenEvent } from '../src/index.js';
import { shareAcrossTabs } from '../src/tabs.js';
import { startAppServer, type AppServer } from './support/appServer.js';
import { leaked } from './support/leaks.js';

// Node has BroadcastChannel (instances of one name talk within a process) but no Web Locks, so
// this covers the channel protocol; browser.test.ts covers the lock in a real Chromium.
let app: AppServer;
let channel = 0;
const open: AuthFetch[] = [];

beforeAll(async () => {
  app = await startAppServer();
});
afterAll(async () => {
  for (const f of open) f.close();
  await app?.close();
});
beforeEach(() => {
  app.reset();
  channel += 1;
});

const tab = (options: { timeoutMs?: number; onEvent?: (e: FintokenEvent) => void } = {}) => {
  const f = createAuthFetch({
    tokenUrl: `${app.url}/token`,
    origins: [app.url],
    tabs: shareAcrossTabs({ partition: 'alice', channel: `fintoken-node-test-${channel}`, timeoutMs: options.timeoutMs ?? 30 }),
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
  });
  open.push(f);
  return f;
};

describe('@fintoken/fetch/tabs shareAcrossTabs (BroadcastChannel, without Web Locks)', () => {
  it('a second tab gets the first tab’s token from the channel instead of asking the endpoint', async () => {
    const a = tab();
    const b = tab();
    expect((await a(`${app.url}/api/echo`)).status).toBe(200);
    expect((await b(`${app.url}/api/echo`)).status).toBe(200);
    expect(app.tokenRequests).toBe(1);
  });

  it('a tab opened later asks the channel and an open tab answers', async () => {
    const a = tab();
    await a.token();
    const seen: FintokenEvent[] = [];
    // Generous: an answer ends the wait at once, so this only bounds a broken channel.
    const late = tab({ timeoutMs: 5_000, onEvent: (e) => seen.push(e) });
    expect((await late.token()).accessToken).toBe(app.minted.at(-1));
    expect(app.tokenRequests).toBe(1);
    expect(seen).toContainEqual(expect.objectContaining({ type: 'cache.hit', reason: 'shared-store' }));
    expect(leaked(seen, app.secrets())).toEqual([]);
  });

  it('a tab alone waits at most timeoutMs for an answer, then fetches', async () => {
    const seen: FintokenEvent[] = [];
    const alone = tab({ timeoutMs: 20, onEvent: (e) => seen.push(e) });
    expect((await alone(`${app.url}/api/echo`)).status).toBe(200);
    expect(seen.map((e) => e.type)).toEqual(['cache.miss', 'token.requested', 'token.fetched']);
    expect(app.tokenRequests).toBe(1);
  });

  it('after a 401 one tab refreshes and the others take its token', async () => {
    const a = tab();
    const b = tab();
    await a.token();
    await b.token();
    app.revokeAll();
    expect((await a(`${app.url}/api/echo`)).status).toBe(200);
    expect(app.tokenRequests).toBe(2);
    // b still holds the revoked token; its 401 finds the replacement a announced.
    expect((await b(`${app.url}/api/echo`)).status).toBe(200);
    expect(app.tokenRequests).toBe(2);
  });

  it('keeps the newest token when an older one is announced', async () => {
    const a = tab();
    const b = tab();
    const first = await a.token();
    app.revokeAll();
    await a(`${app.url}/api/echo`); // a refreshes and announces the new token
    expect((await b.token()).accessToken).toBe(app.minted.at(-1));
    expect((await b.token()).accessToken).not.toBe(first.accessToken);
  });
});
