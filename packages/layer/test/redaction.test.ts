import { inspect } from 'node:util';
import type { FintokenEvent, Token } from '@fintoken/core';
import { MockAgent } from 'undici';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLayerClient, type LayerClientOptions } from '../src/index.js';
import { startLayer, type LayerHarness } from './sandbox.js';

/** Every way a value may be printed or logged. */
function renderings(value: unknown): string[] {
  const out = [inspect(value, { depth: 10, showHidden: true }), JSON.stringify(value) ?? '', String(value)];
  if (value instanceof Error) out.push(value.message, value.stack ?? '');
  return out;
}

function expectClean(value: unknown, planted: string[]): void {
  for (const text of renderings(value)) for (const secret of planted) expect(text).not.toContain(secret);
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('with the sandbox', () => {
  let h: LayerHarness;
  beforeAll(async () => {
    h = await startLayer();
  });
  afterAll(() => h.sandbox.close());

  it('shows neither the secret nor any token in the client, its tokens, its events or its errors', async () => {
    const { clientSecret } = h.sandbox.credentials.layer;
    const events: FintokenEvent[] = [];
    const client = h.client({ onEvent: (event) => events.push(event) });
    const tokens: Token[] = [await client.getToken(), await client.getBusinessToken(h.active[0]!), await client.getBusinessToken(h.active[1]!, { sessionDuration: 60 })];
    const planted = [clientSecret, ...tokens.map((t) => t.accessToken)];

    // The sandbox echoes the secret and a live token in error bodies of both shapes.
    const echo = `secret ${clientSecret} token ${tokens[0]!.accessToken}`;
    h.sandbox.faults.inject('layer.businessToken', { status: 400, body: { raw: JSON.stringify({ type: 'BadRequest', description: echo, error_enum: 'InvalidPayload' }) } });
    h.sandbox.faults.inject('layer.whoami', [{ status: 403, body: { raw: JSON.stringify({ type: 'AuthFailure', description: echo }) } }]);
    const errors = [
      await failure(client.getBusinessToken(h.active[2]!)),
      await failure(client.whoami()),
      await failure(client.getBusinessToken(h.sandbox.businesses.layer.archived)),
      await failure(client.getBusinessToken('not-a-uuid')),
      await failure(h.client({ environment: 'production' }).getToken()),
      await failure(h.client({ clientId: 'wrong' }).getToken()),
      await failure(Promise.resolve().then(() => createLayerClient({ clientId: 'x', clientSecret, environment: 'production', apiUrl: 'http://example.com' }))),
    ];
    expect(errors[0]).toMatchObject({ status: 400, errorEnum: 'InvalidPayload' });
    expect((errors[0] as Error).message).toContain('[REDACTED]');
    expect(errors[1]).toMatchObject({ status: 403, type: 'AuthFailure' });
    expect((errors[1] as Error).message).toContain('[REDACTED]');
    for (const value of [client, ...tokens, ...events, ...errors]) expectClean(value, planted);
    expect(events.length).toBeGreaterThan(3);
  });
});

describe('with MockAgent (what no honest server sends)', () => {
  const clientSecret = 'mock-secret-Hq8wP3';
  const opaque = 'opaque-client-token-4b1f9e27';
  const options = (agent: MockAgent): LayerClientOptions => ({ clientId: 'id-1', clientSecret, environment: 'sandbox', dispatcher: agent, retry: false });
  let agent: MockAgent;
  beforeEach(() => {
    agent = new MockAgent();
    agent.disableNetConnect();
  });
  afterEach(() => agent.close());

  it('redacts a secret echoed by the auth server', async () => {
    agent
      .get('https://auth.layerfi.com')
      .intercept({ path: '/oauth2/token', method: 'POST' })
      .reply(401, { error: 'invalid_client', error_description: `client_secret ${clientSecret} is wrong; Basic aWQtMTptb2NrLXNlY3JldA==` });
    const error = await failure(createLayerClient(options(agent)).getToken());
    expect(error).toMatchObject({ code: 'ERR_AUTHENTICATION' });
    expectClean(error, [clientSecret, 'aWQtMTptb2NrLXNlY3JldA==']);
  });

  it('redacts an opaque (non-JWT) client token echoed by whoami and by the auth-token endpoint', async () => {
    agent
      .get('https://auth.layerfi.com')
      .intercept({ path: '/oauth2/token', method: 'POST' })
      .reply(200, { access_token: opaque, expires_in: 3600, token_type: 'Bearer' });
    const api = agent.get('https://sandbox.layerfi.com');
    api.intercept({ path: '/whoami', method: 'GET' }).reply(500, { type: 'Unknown', description: `token ${opaque} broke` });
    api
      .intercept({ path: '/v1/businesses/3c90c3cc-0d44-4b50-8888-8dd25736052a/auth-token', method: 'POST' })
      .reply(400, { type: 'BadRequest', description: `bearer was ${opaque}`, error_enum: 'SpecifiedBadRequest' });
    const client = createLayerClient(options(agent));
    const errors = [await failure(client.whoami()), await failure(client.getBusinessToken('3c90c3cc-0d44-4b50-8888-8dd25736052a'))];
    expect(errors.map((e) => (e as { status: number }).status)).toEqual([500, 400]);
    for (const error of errors) expectClean(error, [opaque, clientSecret]);
    expectClean(client, [opaque, clientSecret]);
  });
});
