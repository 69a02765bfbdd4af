import { inspect } from 'node:util';
import type { FintokenEvent } from '@fintoken/core';
import { MockAgent } from 'undici';
import { describe, expect, it } from 'vitest';
import { createThredfiClient } from '../src/index.js';
import { useThredfi } from './harness.js';

const t = useThredfi();

/** Fails naming the rendering if any planted value shows up in any way `value` can be printed. */
function assertNoLeak(value: unknown, planted: readonly string[]): void {
  const views: Record<string, string> = {
    inspect: inspect(value, { depth: 8, showHidden: true, getters: true }),
    json: JSON.stringify(value) ?? '',
    string: String(value),
  };
  if (value instanceof Error) Object.assign(views, { message: value.message, stack: value.stack ?? '' });
  for (const [view, text] of Object.entries(views)) {
    const leaked = planted.filter((p) => text.includes(p));
    expect(leaked, `${view} leaks`).toEqual([]);
  }
}

const rejection = (work: () => Promise<unknown>) => work().then(() => expect.unreachable('should have failed'), (error: unknown) => error);

describe('nothing secret leaves the client', () => {
  it('covers the client, tokens, events and every error, with the real API key and live tokens', async () => {
    const { apiKey } = t.sandbox.credentials.thredfi;
    const log: FintokenEvent[] = [];
    const client = t.connect({ onEvent: (e) => void log.push(e) });
    const partner = await client.getToken();
    const business = await client.getBusinessToken(t.owned(0));
    const planted = [apiKey, partner.accessToken, business.accessToken];

    // An error body echoing the API key and the partner token, through real HTTP.
    const echo = JSON.stringify({ error: 'invalid_request', error_description: `key=${apiKey} bearer=${partner.accessToken}` });
    t.sandbox.faults.inject('thredfi.businessToken', { status: 400, body: { raw: echo, contentType: 'application/json' } });
    const failures = await Promise.all([
      rejection(() => client.getBusinessToken(t.owned(1))),
      rejection(() => client.getBusinessToken(t.sandbox.businesses.thredfi.foreign)),
      rejection(() => client.getBusinessToken(apiKey)),
      rejection(() => t.connect({ apiKey: `${apiKey}x` }).getToken()),
      rejection(async () => createThredfiClient({ partnerId: 'nope', apiKey })),
    ]);
    expect(failures[0]).toMatchObject({ status: 400, providerCode: 'invalid_request' });
    expect((failures[0] as Error).message).toContain('[REDACTED]');
    for (const value of [client, partner, business, ...log, ...failures]) assertNoLeak(value, planted);
    expect(log.some((e) => e.type === 'token.fetched')).toBe(true);
  });
});

describe('echoes only MockAgent can fake', () => {
  it('scrubs an opaque partner token and the API key echoed by the business token endpoint', async () => {
    const apiKey = 'sk_live_echo_5c1d77';
    const partnerToken = 'opaque-partner-token-a81c2e';
    const agent = new MockAgent();
    agent.disableNetConnect();
    const pool = agent.get('https://sandbox.thredfi.com');
    pool.intercept({ path: '/v1/platform/oauth2/token/', method: 'POST' }).reply(200, { access_token: partnerToken, expires_in: 60 });
    pool
      .intercept({ path: '/v1/platform/456e7890-e89b-12d3-a456-426614174111/oauth2/token/', method: 'POST' })
      .reply(404, { error: partnerToken, error_description: `no business for ${apiKey} / ${partnerToken}` });
    const client = createThredfiClient({ partnerId: '123e4567-e89b-12d3-a456-426614174000', apiKey, dispatcher: agent });
    const error = await rejection(() => client.getBusinessToken('456e7890-e89b-12d3-a456-426614174111'));
    expect(error).toMatchObject({ status: 404 });
    assertNoLeak(error, [apiKey, partnerToken]);
    assertNoLeak(client, [apiKey, partnerToken]);
    await agent.close();
  });
});
