import { AuthenticationError, createMemoryStore, ProviderError, ResponseValidationError } from '@fintoken/core';
import { MockAgent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLayer1Client } from '../src/index.js';

// What the emulator cannot be made to say: echoed secrets, odd bodies, a second realm.
const KC = 'https://kc.layer1.example';
const realmUrl = (realm: string) => `${KC}/realms/${realm}/protocol/openid-connect/token`;
const CLIENT_SECRET = 'Zm9vYmFyLWtleWNsb2FrLXNlY3JldA-42';
const keycloakBody = { access_token: 'opaque-access', expires_in: 300, refresh_expires_in: 0, token_type: 'Bearer', 'not-before-policy': 0, scope: 'tenants:view networks:view' };

let agent: MockAgent;
beforeEach(() => {
  agent = new MockAgent();
  agent.disableNetConnect();
});
afterEach(() => agent.close());

const layer1 = (realm = 'acme', extra: { store?: ReturnType<typeof createMemoryStore> } = {}) =>
  createLayer1Client({ clientId: 'backend', clientSecret: CLIENT_SECRET, tokenUrl: realmUrl(realm), dispatcher: agent, retry: false, ...extra });

function answer(realm: string, status: number, body: object) {
  agent
    .get(KC)
    .intercept({ path: `/realms/${realm}/protocol/openid-connect/token`, method: 'POST' })
    .reply(status, body, { headers: { 'content-type': 'application/json' } });
}

describe('Layer1 against a mocked Keycloak', () => {
  it('sends exactly the seed curl: form client_id, client_secret, grant_type, nothing else, no Authorization', async () => {
    let form = new URLSearchParams();
    let type: unknown;
    agent
      .get(KC)
      .intercept({
        path: '/realms/acme/protocol/openid-connect/token',
        method: 'POST',
        body: (raw) => ((form = new URLSearchParams(raw)), true),
        headers: (h) => ((type = h['content-type']), h.authorization === undefined),
      })
      .reply(200, keycloakBody, { headers: { 'content-type': 'application/json' } });
    const token = await layer1().getToken();
    expect(type).toBe('application/x-www-form-urlencoded');
    expect([...form.keys()].sort()).toEqual(['client_id', 'client_secret', 'grant_type']);
    expect(Object.fromEntries(form)).toEqual({ client_id: 'backend', client_secret: CLIENT_SECRET, grant_type: 'client_credentials' });
    expect(token.scope).toEqual(['tenants:view', 'networks:view']);
  });

  it('an error_description echoing the secret is redacted', async () => {
    answer('acme', 401, { error: 'invalid_client', error_description: `secret ${CLIENT_SECRET} does not match` });
    const failure = (await layer1().getToken().catch((e: unknown) => e)) as AuthenticationError;
    expect(failure).toBeInstanceOf(AuthenticationError);
    expect(failure.message).toContain('secret [REDACTED] does not match');
    expect(`${failure.message}${JSON.stringify(failure)}${failure.stack}`).not.toContain(CLIENT_SECRET);
  });

  it('unsupported_grant_type -> ProviderError with providerCode', async () => {
    answer('acme', 400, { error: 'unsupported_grant_type', error_description: 'Unsupported grant_type' });
    const failure = await layer1().getToken().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ProviderError);
    expect(failure).not.toBeInstanceOf(AuthenticationError);
    expect(failure).toMatchObject({ status: 400, providerCode: 'unsupported_grant_type' });
  });

  it.each([
    ['expires_in', { ...keycloakBody, expires_in: '300' }],
    ['token_type', { ...keycloakBody, token_type: undefined }],
    ['not-before-policy', { ...keycloakBody, 'not-before-policy': 'never' }],
    ['access_token', { ...keycloakBody, access_token: '' }],
  ])('a response with a bad %s -> ResponseValidationError naming it', async (field, body) => {
    answer('acme', 200, body);
    await expect(layer1().getToken()).rejects.toMatchObject({ constructor: ResponseValidationError, field });
  });

  it('two realms with the same client id never share a token, even through one shared store', async () => {
    const store = createMemoryStore();
    answer('acme', 200, { ...keycloakBody, access_token: 'token-of-acme' });
    answer('globex', 200, { ...keycloakBody, access_token: 'token-of-globex' });
    expect((await layer1('acme', { store }).getToken()).accessToken).toBe('token-of-acme');
    expect((await layer1('globex', { store }).getToken()).accessToken).toBe('token-of-globex');
  });
});
