import { randomBytes } from 'node:crypto';
import { createToken, type CommonOptions, type FintokenEvent, type ProviderClient, type Token } from '@fintoken/core';
import { createProviderClient, fetchClientCredentialsToken } from '@fintoken/core/provider';
import { Redis } from 'ioredis';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A key prefix no other run (or test file) shares. */
export function uniquePrefix(): string {
  return `fintoken-test:${process.pid}:${randomBytes(6).toString('hex')}:`;
}

/** A plain ioredis connection for looking at raw keys; errors are not ours to log. */
export function rawClient(url = REDIS_URL): Redis {
  const client = new Redis(url, { lazyConnect: false });
  client.on('error', () => undefined);
  return client;
}

/** Delete every key under `prefix` (SCAN, never KEYS: the server is shared). */
export async function deleteKeys(client: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) await client.del(...keys);
  } while (cursor !== '0');
}

/** A realistic token: a JWT-looking access token nobody would mistake for anything else. */
export function makeToken(now: number, lifetimeMs = 60_000, extra: Partial<Token> = {}): Token {
  const accessToken = `eyJhbGciOiJSUzI1NiJ9.${randomBytes(24).toString('base64url')}.${randomBytes(32).toString('base64url')}`;
  return createToken({ accessToken, tokenType: 'Bearer', issuedAt: now, expiresAt: now + lifetimeMs, ...extra });
}

export function collectEvents(): { events: FintokenEvent[]; onEvent: (e: FintokenEvent) => void } {
  const events: FintokenEvent[] = [];
  return { events, onEvent: (e) => events.push(e) };
}

/** Poll `check` until it is true, at most `timeoutMs`; fails the test otherwise. */
export async function eventually(check: () => Promise<boolean> | boolean, timeoutMs = 5_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A Layer1 client built directly from core (as @fintoken/layer1 does), against the sandbox. */
export function layer1Client(
  sandbox: { urls: { layer1: { tokenUrl: string } }; credentials: { layer1: { clientId: string; clientSecret: string } } },
  options: CommonOptions,
): ProviderClient {
  const { clientId, clientSecret } = sandbox.credentials.layer1;
  return createProviderClient({
    provider: 'layer1',
    environment: 'sandbox',
    clientId,
    secrets: [clientSecret],
    options: { retry: false, ...options },
    fetchToken: (_request, { transport }) =>
      fetchClientCredentialsToken({ tokenUrl: sandbox.urls.layer1.tokenUrl, clientId, clientSecret, authMethod: 'client_secret_post' }, transport),
  });
}
