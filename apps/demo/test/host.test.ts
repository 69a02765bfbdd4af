import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loopbackHostsOnly } from '@fintoken/layer-react';
import { startDemo, type Demo } from '../src/server.js';
import { rawRequest, signIn } from './helpers.js';

// DNS rebinding, as the attacker does it: a page on attacker.example re-resolves its own name to
// 127.0.0.1 and calls "its" origin, which is now the demo. The browser sends the victim's requests
// there as same-origin; only the Host header still says attacker.example.
let demo: Demo;
let alice: string;
beforeAll(async () => {
  demo = await startDemo({ port: 0, env: { DEMO_SESSION_SECRET: 'host-test-secret' }, log: () => undefined });
  alice = await signIn(demo, 'alice');
});
afterAll(() => demo?.close());

const port = () => new URL(demo.url).port;

describe('the demo answers only its own Host', () => {
  it('gives a page on attacker.example a 403 for every route: no sign-in page, no session, no token, no metrics', async () => {
    const mints = () => demo.sandbox!.stats.count('layer.businessToken') + demo.sandbox!.stats.count('asset.token');
    const before = mints();
    for (const host of [`attacker.example:${port()}`, 'attacker.example', `127.0.0.1.attacker.example:${port()}`, `localhost.attacker.example:${port()}`]) {
      for (const [method, path, body] of [
        ['GET', '/', undefined],
        ['GET', '/app.js', undefined],
        ['GET', '/api/session', undefined],
        ['POST', '/api/session', '{"user":"alice"}'],
        ['POST', '/api/layer/token', '{}'],
        ['POST', '/api/asset/token', '{}'],
        ['GET', '/api/thredfi/server-call', undefined],
        ['GET', '/metrics', undefined],
      ] as const) {
        const response = await rawRequest(demo.url, { method, path, headers: { host, cookie: alice, 'content-type': 'application/json' }, body });
        expect(response.status, `${method} ${path} Host: ${host}`).toBe(403);
        expect(response.body).not.toMatch(/access_token|<script|set-cookie|fintoken_/i);
        expect(response.headers['set-cookie']).toBeUndefined();
      }
    }
    expect(mints()).toBe(before);
  });

  it('answers loopback names: 127.0.0.1, localhost and [::1], with any port', async () => {
    for (const host of [`127.0.0.1:${port()}`, `localhost:${port()}`, `LOCALHOST:${port()}`, `[::1]:${port()}`, '127.0.0.1']) {
      expect((await rawRequest(demo.url, { method: 'GET', path: '/api/session', headers: { host } })).status, host).toBe(200);
    }
  });

  it('answers the configured HOST too (a name or address to listen on, not a wildcard), and still nothing else', () => {
    const verdict = (check: ReturnType<typeof loopbackHostsOnly>, host: string) => {
      let status = 0;
      let passed = false;
      const res = { status: (s: number) => ((status = s), res), set: () => res, json: () => res };
      check({ headers: { host } } as never, res as never, () => void (passed = true));
      return passed ? 'next' : status;
    };
    const named = loopbackHostsOnly('demo.internal');
    expect(verdict(named, 'demo.internal:3000')).toBe('next');
    expect(verdict(named, 'DEMO.internal')).toBe('next');
    expect(verdict(named, 'localhost:3000')).toBe('next');
    expect(verdict(named, 'attacker.example:3000')).toBe(403);
    const lan = loopbackHostsOnly('192.168.1.20');
    expect(verdict(lan, '192.168.1.20:3000')).toBe('next');
    expect(verdict(lan, '192.168.1.21:3000')).toBe(403);
    // A wildcard is no host name: only loopback then.
    for (const wildcard of ['0.0.0.0', '::']) expect(verdict(loopbackHostsOnly(wildcard), '0.0.0.0:3000')).toBe(403);
    expect(verdict(loopbackHostsOnly('::1'), '[::1]:3000')).toBe('next');
    for (const bad of ['', 'user@127.0.0.1', '127.0.0.1/x', '127.0.0.1:3000/@attacker.example']) expect(verdict(named, bad), bad).toBe(403);
  });
});
