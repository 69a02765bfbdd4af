import { inspect } from 'node:util';
import type { FintokenEvent } from '@fintoken/core';
import { describe, expect, it } from 'vitest';
import { createAssetClient } from '../src/index.js';
import { useAssetSandbox } from './sandbox.js';

const env = useAssetSandbox();

/** Every way a value could be printed or logged. */
const renderings = (value: unknown): string[] => [
  inspect(value, { depth: Infinity, showHidden: true, getters: true }),
  JSON.stringify(value) ?? '',
  String(value),
  value instanceof Error ? `${value.stack ?? ''} ${inspect(value.cause, { depth: Infinity })}` : '',
];

describe('no secret or token in any rendering (sandbox, real values)', () => {
  it('client, tokens, events and every kind of error stay clean', async () => {
    const { clientSecret } = env.sandbox.credentials.asset;
    const wrongSecret = `${clientSecret}-planted-wrong`;
    const events: FintokenEvent[] = [];
    const onEvent = (e: FintokenEvent) => events.push(e);
    const client = env.client({ onEvent, retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 5 }, timeoutMs: 500 });
    const [a] = env.sandbox.businesses.asset.allowed as [string];

    const tokens = [await client.getToken(), await client.getToken({ businessId: a, scope: 'ledger:read' })];
    const errors: unknown[] = [];
    const capture = (p: Promise<unknown>) => p.then(() => expect.fail('expected a rejection'), (e: unknown) => errors.push(e));

    await capture(env.client({ clientSecret: wrongSecret, onEvent }).getToken());
    await capture(client.getToken({ businessId: env.sandbox.businesses.asset.forbidden }));
    await capture(client.getToken({ businessId: 'biz_unknown' }));
    await capture(client.getToken({ resource: 'not a uri' }));
    for (const fault of [{ status: 503, times: 2 }, { body: 'missing-access-token' as const }, { hang: true, times: 2 }, { drop: true, times: 2 }]) {
      env.sandbox.faults.inject('asset.token', fault);
      await capture(client.getToken({ forceRefresh: true }));
      env.sandbox.faults.clear();
    }
    // An API 401 that the refresh cannot cure.
    env.sandbox.faults.inject('asset.business', { status: 401, times: 2 });
    const response = await client.fetch(`/v0/businesses/${a}`, { token: { businessId: a } });
    expect(response.status).toBe(401);
    await response.body?.cancel();
    tokens.push(await client.getToken({ businessId: a }));
    try {
      createAssetClient({ clientId: 'x', clientSecret, environment: 'production', baseUrl: `http://${clientSecret}.example.com` });
    } catch (e) {
      errors.push(e);
    }

    expect(errors.map((e) => (e as { code?: string }).code).sort()).toEqual(
      ['ERR_AUTHENTICATION', 'ERR_CONFIGURATION', 'ERR_INVALID_REQUEST', 'ERR_NETWORK', 'ERR_PROVIDER', 'ERR_PROVIDER', 'ERR_PROVIDER', 'ERR_RESPONSE_VALIDATION', 'ERR_TIMEOUT'],
    );
    const planted = [clientSecret, wrongSecret, ...tokens.flatMap((t) => [t.accessToken, t.accessToken.split('.')[2] ?? ''])];
    const printed = [client, ...tokens, ...errors, ...events].flatMap(renderings).join('\n');
    for (const value of planted) expect(printed).not.toContain(value);
    expect(printed).toContain('[REDACTED]');
  });
});
