import { createAssetClient } from '@fintoken/asset';
import type { TokenClient } from '@fintoken/core';
import { createLayerClient } from '@fintoken/layer';
import { createLayer1Client } from '@fintoken/layer1';
import { startSandbox, type Sandbox } from '@fintoken/sandbox';
import { createThredfiClient } from '@fintoken/thredfi';
import { Agent, request } from 'undici';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';

// Test support shared by @fintoken/web's and @fintoken/express's suites: a browser that records
// every response, the leak scan, a hand-moved clock and a sandbox per file.

/** One response as the browser would see it. */
export interface SeenResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
  json: any;
}

/**
 * Plays the browser: every response it receives is kept, so the file can finally check that
 * no secret or server-side token reached any of them.
 */
export function createBrowser() {
  const agent = new Agent({ connections: 32 });
  const seen: SeenResponse[] = [];
  return {
    seen,
    async send(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<SeenResponse> {
      const response = await request(url, {
        method: (init.method ?? 'POST') as 'POST',
        headers: init.headers ?? {},
        ...(init.body === undefined ? {} : { body: init.body }),
        dispatcher: agent,
      });
      const text = await response.body.text();
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(response.headers)) headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      const seenResponse = { status: response.statusCode, headers, text, json };
      seen.push(seenResponse);
      return seenResponse;
    },
    close: () => agent.close(),
  };
}

/**
 * Remembers every server-side token: after each test, ask each client for its own (unscoped)
 * token, which is the one it used as the parent Bearer to mint business tokens.
 */
export function createServerTokenLog() {
  const tokens = new Set<string>();
  const clients = new Set<TokenClient>();
  return {
    tokens,
    track<C extends TokenClient>(client: C): C {
      clients.add(client);
      return client;
    },
    async capture(): Promise<void> {
      for (const client of clients) {
        try {
          tokens.add((await client.getToken()).accessToken);
        } catch {
          // A client pointed at bad credentials never got a server token to leak.
        }
      }
    },
  };
}

const JWT = /eyJ[\w-]{2,}\.[\w-]{2,}\.[\w-]*/g;

/**
 * No secret, no server-side token and no JWT other than the one the endpoint deliberately
 * hands out (`access_token` of that same response) appears in any status line, header or body.
 */
export function expectNoLeaks(seen: SeenResponse[], secrets: string[], serverTokens: Iterable<string>, minimum: number): void {
  expect(seen.length).toBeGreaterThanOrEqual(minimum);
  const forbidden = [...secrets, ...serverTokens];
  expect(forbidden.every((s) => typeof s === 'string' && s.length >= 8)).toBe(true);
  for (const response of seen) {
    const everything = `${response.status}\n${JSON.stringify(response.headers)}\n${response.text}`;
    for (const secret of forbidden) expect(everything.includes(secret), `a secret or server token in a ${response.status} response`).toBe(false);
    const handedOut = typeof response.json?.access_token === 'string' ? response.json.access_token : undefined;
    for (const jwt of everything.match(JWT) ?? []) expect(jwt).toBe(handedOut);
  }
}

/** A clock the tests move by hand. */
export function createClock(start = Date.now()) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}

/** Stand-in for a session store: the "cookie" names a user, the user belongs to a business. */
export function sessionUser(headers: { get(name: string): string | null | undefined }, users: Map<string, { businessId: string }>) {
  const session = /(?:^|;\s*)sid=([^;]+)/.exec(headers.get('cookie') ?? '')?.[1];
  return session === undefined ? undefined : users.get(session);
}

/**
 * One sandbox per test file, faults cleared and the server's tokens captured after each test (for
 * the leak scan), everything closed at the end.
 */
export function useSandboxSuite() {
  const suite = {
    sb: undefined as unknown as Sandbox,
    browser: createBrowser(),
    serverTokens: createServerTokenLog(),
    /** A Layer client against this sandbox, its server tokens logged for the leak scan. */
    layerClient: (options: Record<string, unknown> = {}) => {
      const { clientId, clientSecret } = suite.sb.credentials.layer;
      const { authUrl, apiUrl } = suite.sb.urls.layer;
      return suite.serverTokens.track(createLayerClient({ clientId, clientSecret, environment: 'sandbox', authUrl, apiUrl, ...options }));
    },
    /** A Thredfi client against this sandbox (its business tokens are server-side ones, seed). */
    thredfiClient: (options: Record<string, unknown> = {}) => {
      const { partnerId, apiKey } = suite.sb.credentials.thredfi;
      return suite.serverTokens.track(createThredfiClient({ partnerId, apiKey, baseUrl: suite.sb.urls.thredfi.baseUrl, ...options }));
    },
    /** An Asset client against this sandbox. */
    assetClient: (options: Record<string, unknown> = {}) =>
      suite.serverTokens.track(createAssetClient({ ...suite.sb.credentials.asset, environment: 'sandbox', baseUrl: suite.sb.urls.asset.baseUrl, ...options })),
    /** A Layer1 client against this sandbox (no business tokens at all). */
    layer1Client: () => {
      const { clientId, clientSecret } = suite.sb.credentials.layer1;
      return suite.serverTokens.track(createLayer1Client({ clientId, clientSecret, tokenUrl: suite.sb.urls.layer1.tokenUrl }));
    },
  };
  beforeAll(async () => {
    suite.sb = await startSandbox();
  });
  afterEach(async () => {
    suite.sb.faults.clear();
    await suite.serverTokens.capture();
  });
  afterAll(async () => {
    await suite.browser.close();
    await suite.sb.close();
  });
  return suite;
}
