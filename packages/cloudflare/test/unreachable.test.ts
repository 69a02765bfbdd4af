import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { ConfigurationError, FintokenError, NetworkError, TimeoutError, type FintokenEvent } from '@fintoken/core';
import { createLayerClient } from '@fintoken/layer';
import { startSandbox, type Sandbox } from '@fintoken/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDurableObjectStore, type DurableObjectNamespaceLike } from '../src/index.js';

// The Worker side when the object misbehaves: each stub call goes over real HTTP to a server on
// loopback that answers what a broken or overloaded object would (500, garbage, nothing). The
// store's errors are typed and carry no token; a client on it keeps delivering tokens from the
// sandbox, with a store.error event per failure.

type Behaviour = 'ok' | 'error-500' | 'garbage' | 'hang' | 'echo' | 'bad-token';
let behaviour: Behaviour = 'ok';
let server: Server;
let origin: string;
let sandbox: Sandbox;
const SECRET = 'tok-4f2e-never-in-an-error';

beforeAll(async () => {
  sandbox = await startSandbox();
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (behaviour === 'hang') return; // never answers; the store's timeout must end the call
      if (behaviour === 'error-500') return void res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: `storage failed for ${SECRET}`.replace(SECRET, 'a value') }));
      if (behaviour === 'garbage') return void res.writeHead(200, { 'content-type': 'text/html' }).end(`<html>${body}</html>`);
      if (behaviour === 'echo') return void res.writeHead(503, { 'content-type': 'text/plain' }).end(body);
      if (behaviour === 'bad-token') return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: { accessToken: SECRET } }));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await sandbox?.close();
});

/** A namespace whose stubs send each call over HTTP to our misbehaving server. */
const namespace: DurableObjectNamespaceLike = {
  idFromName: (name) => name,
  get: () => ({ fetch: (input, init) => fetch(new URL(new URL(input).pathname, origin), init) }),
};

const token = { accessToken: SECRET, tokenType: 'Bearer', expiresAt: Date.now() + 60_000 };

describe('store calls to a failing object', () => {
  it.each([
    ['error-500', NetworkError, /Durable Object set answered 500: storage failed for a value/],
    ['garbage', NetworkError, /Durable Object set answered something other than a JSON object/],
    ['echo', NetworkError, /Durable Object set answered 503$/],
    ['hang', TimeoutError, /Durable Object set did not answer within 200 ms/],
  ] as const)('%s: a typed error, no token in it', async (b, type, message) => {
    behaviour = b;
    const store = createDurableObjectStore({ namespace, operationTimeoutMs: 200 });
    const error = await store.set('k', token).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(type);
    expect((error as Error).message).toMatch(message);
    expect(`${(error as Error).message} ${(error as Error).stack} ${inspect(error, { depth: 5 })} ${JSON.stringify(error)}`).not.toContain(SECRET);
  });

  it('a malformed token in an answer is refused, never returned', async () => {
    behaviour = 'bad-token';
    const store = createDurableObjectStore({ namespace });
    const error = await store.get('k').then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect(inspect(error, { depth: 5 })).not.toContain(SECRET);
  });

  it("an aborted wait ends at once with an AbortError, not the wait's timeout", async () => {
    behaviour = 'hang';
    const store = createDurableObjectStore({ namespace });
    const controller = new AbortController();
    const started = Date.now();
    const waiting = store.waitFor?.('k', { timeoutMs: 10_000, signal: controller.signal }).then(() => undefined, (e: unknown) => e);
    setTimeout(() => controller.abort(), 50);
    const error = await waiting;
    expect((error as FintokenError).code).toBe('ERR_ABORTED');
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe('a Layer client on a failing object', () => {
  it.each(['error-500', 'hang', 'garbage'] as const)('%s: tokens still come (from the sandbox), each failure a store.error event', async (b) => {
    behaviour = b;
    const events: FintokenEvent[] = [];
    const { clientId, clientSecret } = sandbox.credentials.layer;
    const layer = createLayerClient({
      clientId,
      clientSecret,
      environment: 'sandbox',
      authUrl: sandbox.urls.layer.authUrl,
      apiUrl: sandbox.urls.layer.apiUrl,
      store: createDurableObjectStore({ namespace, operationTimeoutMs: 200 }),
      onEvent: (e) => void events.push(e),
    });
    sandbox.stats.reset();
    const tokens = await Promise.all(Array.from({ length: 20 }, () => layer.getToken()));
    expect(new Set(tokens.map((t) => t.accessToken)).size).toBe(1);
    expect(sandbox.stats.count('layer.token')).toBe(1);
    const errors = events.filter((e) => e.type === 'store.error');
    expect(errors.length).toBeGreaterThan(0);
    // Only the error's class and code reach the event (core's rule: a message could quote a value).
    for (const e of errors) expect(e.message).toMatch(/^Token store (get|set|lock|release|wait) failed \((NetworkError|TimeoutError) ERR_[A-Z_]+\); falling back to the provider$/);
    expect(inspect(events, { depth: 6 })).not.toContain(tokens[0]!.accessToken);
    expect(inspect(events, { depth: 6 })).not.toContain(clientSecret);
  });
});

describe('options', () => {
  it.each([
    [undefined, /options: must be an object/],
    [{}, /namespace: must be a Durable Object namespace binding/],
    [{ namespace: {} }, /namespace: must be a Durable Object namespace binding/],
    [{ namespace, operationTimeoutMs: 0 }, /operationTimeoutMs/],
    [{ namespace, prefix: 7 }, /prefix: must be a string/],
    [{ namespace, objectName: 'all' }, /objectName: must be a function/],
    [{ namespace, encryptionKey: 'x' }, /unknown option `encryptionKey`/],
  ])('%o is a ConfigurationError', (options, message) => {
    expect(() => createDurableObjectStore(options as never)).toThrow(ConfigurationError);
    expect(() => createDurableObjectStore(options as never)).toThrow(message);
  });

  it('objectName routes keys to objects (prefix first), and an empty name is refused at the call', async () => {
    const names: string[] = [];
    const recording: DurableObjectNamespaceLike = { idFromName: (name) => (names.push(name), name), get: () => ({ fetch: async () => Response.json({}) }) };
    await createDurableObjectStore({ namespace: recording, prefix: 'billing:', objectName: () => 'all' }).get('k1');
    await createDurableObjectStore({ namespace: recording }).get('k2');
    expect(names).toEqual(['billing:all', 'fintoken:k2']);
    await expect(createDurableObjectStore({ namespace: recording, objectName: () => '' }).get('k')).rejects.toThrow(ConfigurationError);
  });
});
