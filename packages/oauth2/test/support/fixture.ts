import { afterAll, beforeAll } from 'vitest';
import { startAuthorizationServer, type AuthorizationServer } from './authorizationServer.js';
import { generatePki, type Pki } from './pki.js';

export interface Fixture {
  pki: Pki;
  as: AuthorizationServer;
}

/** One PKI and one oidc-provider for the test file, on loopback, closed after it. */
export function useAuthorizationServer(options: { path?: string } = {}): Fixture {
  const fixture = {} as Fixture;
  beforeAll(async () => {
    fixture.pki = generatePki();
    fixture.as = await startAuthorizationServer({ pki: fixture.pki, ...options });
  });
  afterAll(() => fixture.as?.close());
  return fixture;
}

/** Fast retries, for tests that meet errors on purpose. */
export const quick = { retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 2 } } as const;
