import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigurationError, createAuthFetch, type AuthFetch, type Token } from '../src/index.js';
import { shareAcrossTabs, type ShareAcrossTabsOptions } from '../src/tabs.js';
import { startAppServer, type AppServer } from './support/appServer.js';

// Node's BroadcastChannel joins every channel of one name in the process: each `tab()` here is
// a tab of the origin, and `rogue()` is what any other document of the origin can do: post on
// the channel. (browser.test.ts plays the sign-out story in Chromium.)
let app: AppServer;
let run = 0;
const open: Array<{ close(): void }> = [];

beforeAll(async () => {
  app = await startAppServer();
});
afterAll(async () => {
  await app?.close();
});
beforeEach(() => {
  app.reset();
  run += 1;
});
afterEach(() => {
  for (const o of open.splice(0)) o.close();
});

const channelName = (partition: string) => `fintoken-attack-${run}#${encodeURIComponent(partition)}`;

function tab(options: Partial<ShareAcrossTabsOptions> & { partition: string }): AuthFetch {
  const f = createAuthFetch({
    tokenUrl: `${app.url}/token`,
    origins: [app.url],
    tabs: shareAcrossTabs({ channel: `fintoken-attack-${run}`, timeoutMs: 200, ...options }),
  });
  open.push(f);
  return f;
}

/** Another document on the channel: answers every ask with `offer`, and can post anything. */
function rogue(partition: string, offer?: () => unknown) {
  const channel = new BroadcastChannel(channelName(partition));
  open.push(channel);
  channel.onmessage = ({ data }: MessageEvent<{ ask?: 1 }>) => {
    if (data?.ask && offer) channel.postMessage({ token: offer(), answer: 1 });
  };
  return channel;
}

const settle = (ms = 50) => new Promise((resolve) => setTimeout(resolve, ms));
const jwt = (claims: Record<string, unknown>) => `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;

describe('shareAcrossTabs: scoped to one signed-in identity', () => {
  it('refuses to start without a partition (ConfigurationError)', () => {
    for (const options of [undefined, {}, { partition: '' }, { partition: 42 }, { channel: 'shared' }]) {
      expect(() => shareAcrossTabs(options as never), JSON.stringify(options)).toThrow(ConfigurationError);
    }
  });

  it("a tab of another partition never answers: the next user's page fetches its own token", async () => {
    const alice = tab({ partition: 'alice' });
    const aliceToken = await alice.token();
    const bob = tab({ partition: 'bob' });
    const bobToken = await bob.token();
    expect(bobToken.accessToken).not.toBe(aliceToken.accessToken);
    expect(app.tokenRequests).toBe(2);
  });

  it('clear() in one tab clears every tab of the partition, and tells their subscribers', async () => {
    const one = tab({ partition: 'alice' });
    const two = tab({ partition: 'alice' });
    const first = await one.token();
    expect((await two.token()).accessToken).toBe(first.accessToken);
    let heard = 0;
    two.subscribe(() => void (heard += 1));
    one.clear();
    await expect.poll(() => two.peek()).toBeUndefined();
    expect(heard).toBeGreaterThan(0);
    // Neither tab hands the old token out again: the next call asks the endpoint.
    expect((await two.token()).accessToken).not.toBe(first.accessToken);
    expect(app.tokenRequests).toBe(2);
  });

  it('ignores a token offered for another business than the page expects', async () => {
    const forged = jwt({ exp: Math.floor(Date.now() / 1000) + 3600 });
    rogue('alice', () => ({ accessToken: forged, tokenType: 'Bearer', expiresAt: Date.now() + 3_600_000, businessId: 'someone-elses-business' }));
    const page = tab({ partition: 'alice', businessId: app.businessId });
    const token = await page.token();
    expect(token.accessToken).not.toBe(forged);
    expect(token.businessId).toBe(app.businessId);
    expect(app.tokenRequests).toBe(1);
  });

  it("caps a shared token's life at its JWT exp: another tab cannot extend it", async () => {
    const exp = Math.floor(Date.now() / 1000) + 60;
    const offered = jwt({ exp, business_id: app.businessId });
    rogue('alice', () => ({ accessToken: offered, tokenType: 'Bearer', expiresAt: Date.now() + 86_400_000 }));
    const page = tab({ partition: 'alice' });
    const token = await page.token();
    expect(token.accessToken).toBe(offered);
    expect(token.expiresAt).toBe(exp * 1000);
    expect(app.tokenRequests).toBe(0);
  });

  it('never lets a re-announcement push back the expiry of a token it holds', async () => {
    // Opaque tokens: no JWT exp to check, so the expiry a tab already holds is the bound.
    let minted = 0;
    const opaqueTab = () => {
      const f = createAuthFetch({
        getToken: async () => ({ access_token: `opaque-${(minted += 1)}`, expires_in: 600 }),
        tabs: shareAcrossTabs({ partition: 'alice', channel: `fintoken-attack-${run}`, timeoutMs: 1_000 }),
      });
      open.push(f);
      return f;
    };
    const one = opaqueTab();
    const held: Token = await one.token();
    rogue('alice').postMessage({ token: { ...held, expiresAt: held.expiresAt + 86_400_000 } });
    await settle();
    // A tab opened now asks, and `one` answers with what it keeps.
    const answered = await opaqueTab().token();
    expect(answered.accessToken).toBe(held.accessToken);
    expect(answered.expiresAt).toBeLessThanOrEqual(held.expiresAt);
    expect(minted).toBe(1);
  });

  it('ignores malformed and expired messages, and still works', async () => {
    const junk: unknown[] = [
      null,
      'token',
      { token: 'abc' },
      { token: { accessToken: 5, expiresAt: Date.now() + 60_000 } },
      { token: { accessToken: '', expiresAt: Date.now() + 60_000 } },
      { token: { accessToken: 'no-expiry' } },
      { token: { accessToken: 'string-expiry', expiresAt: 'tomorrow' } },
      { token: { accessToken: 'expired', expiresAt: Date.now() - 1 } },
      { token: { accessToken: 'bad-issued', expiresAt: Date.now() + 60_000, issuedAt: 'now' } },
      { token: { accessToken: 'bad-business', expiresAt: Date.now() + 60_000, businessId: 7 } },
    ];
    let next = 0;
    rogue('alice', () => junk[next++ % junk.length]);
    const channel = rogue('alice');
    for (const message of junk) channel.postMessage(message);
    const page = tab({ partition: 'alice' });
    const token = await page.token();
    expect(token.accessToken).toBe(app.minted.at(-1));
    expect(app.tokenRequests).toBe(1);
    for (const message of junk) channel.postMessage(message);
    await settle();
    expect(page.peek()?.accessToken).toBe(token.accessToken);
    expect((await page(`${app.url}/api/echo`)).status).toBe(200);
  });
});
