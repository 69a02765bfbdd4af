import { inspect } from 'node:util';
import { AuthenticationError, ConfigurationError, type FintokenEvent, type Token } from '@fintoken/core';
import { describe, expect, it } from 'vitest';
import { createOAuth2Client } from '../src/index.js';
import { useAuthorizationServer } from './support/fixture.js';

const fx = useAuthorizationServer();

const leaks = (value: unknown, planted: string[]) => {
  const text = [inspect(value, { depth: Infinity, showHidden: true }), JSON.stringify(value) ?? '', String(value), (value as Error)?.stack ?? ''].join(' ');
  return planted.filter((p) => text.includes(p));
};

describe('credentials that rotate while the client runs', () => {
  it('a secret replaced at the server: the next token request after invalid_client succeeds with the new one, read once for all callers', async () => {
    let stored = 'first-secret-value-0001';
    await fx.as.register({ client_id: 'rotating', client_secret: stored, token_endpoint_auth_method: 'client_secret_basic' });
    let reads = 0;
    const client = createOAuth2Client({
      issuer: fx.as.issuer,
      clientId: 'rotating',
      // A secrets manager: read when first needed, and again when the server refuses the value.
      clientSecret: async () => {
        reads += 1;
        await new Promise((r) => setTimeout(r, 5));
        return stored;
      },
    });
    await client.getToken();
    expect(reads).toBe(1);
    // The secret is rotated at the server and in the secrets manager.
    stored = 'second-secret-value-0002';
    await fx.as.register({ client_id: 'rotating', client_secret: stored, token_endpoint_auth_method: 'client_secret_basic' });
    const before = fx.as.tokenRequests.length;
    const tokens = await Promise.all(['api:read', 'api:write', 'api:read api:write'].map((scope) => client.getToken({ scope })));
    expect(tokens.every((t) => t.accessToken.length > 0)).toBe(true);
    expect(reads).toBe(2);
    const statuses = fx.as.tokenRequests.slice(before).map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(3);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(3);
  });

  it('a secret that did not change is not retried: the refusal reaches the caller once', async () => {
    await fx.as.register({ client_id: 'rotating-stale', client_secret: 'server-side-secret-9999', token_endpoint_auth_method: 'client_secret_basic' });
    const client = createOAuth2Client({ issuer: fx.as.issuer, clientId: 'rotating-stale', clientSecret: () => 'stale-secret-PLANTED', retry: false });
    const before = fx.as.tokenRequests.length;
    const error = await client.getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(fx.as.tokenRequests.length - before).toBe(1);
    expect(leaks(error, ['stale-secret-PLANTED'])).toEqual([]);
  });

  it('a private key rotated at the server: the function returns the new key and kid', async () => {
    const { rsa, rsaNext } = fx.as.keys;
    const jwk = (key: typeof rsa.publicKey, kid: string) => ({ ...key.export({ format: "jwk" }), kid });
    await fx.as.register({ client_id: 'pk-rotating', token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [jwk(rsa.publicKey, 'rsa-1')] } });
    let current = { key: rsa.privateKey, keyId: 'rsa-1' };
    const client = createOAuth2Client({ issuer: fx.as.issuer, clientId: 'pk-rotating', privateKey: async () => current });
    await client.getToken();
    await fx.as.register({ client_id: 'pk-rotating', token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [jwk(rsaNext.publicKey, 'rsa-2')] } });
    current = { key: rsaNext.privateKey, keyId: 'rsa-2' };
    const token = await client.getToken({ forceRefresh: true });
    expect(await fx.as.introspect(token.accessToken)).toMatchObject({ active: true, client_id: 'pk-rotating' });
  });

  it('a function that fails or returns nothing usable is a ConfigurationError naming the option, not the value', async () => {
    const failing = createOAuth2Client({ issuer: fx.as.issuer, clientId: 'basic', clientSecret: () => Promise.reject(new Error('vault: secret=hunter2-PLANTED')) });
    const error = await failing.getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(String(error)).toMatch(/clientSecret function failed/);
    expect(leaks(error, ['hunter2-PLANTED'])).toEqual([]);
    const badKey = createOAuth2Client({ issuer: fx.as.issuer, clientId: 'pkjwt', privateKey: () => '-----BEGIN RSA PRIVATE KEY-----\nPLANTEDKEYMATERIAL\n-----END RSA PRIVATE KEY-----' });
    const keyError = await badKey.getToken().catch((e: unknown) => e);
    expect(keyError).toBeInstanceOf(ConfigurationError);
    expect(String(keyError)).toMatch(/PKCS#8/);
    expect(leaks(keyError, ['PLANTEDKEYMATERIAL'])).toEqual([]);
  });
});

describe('the cache against oidc-provider', () => {
  it('makes one token request for 50 concurrent callers, and hands out a cached token after', async () => {
    const client = createOAuth2Client({ issuer: fx.as.issuer, clientId: 'post', clientSecret: 'post-secret-3c9b1f6e2d', authMethod: 'client_secret_post' });
    const before = fx.as.tokenRequests.length;
    const tokens = await Promise.all(Array.from({ length: 50 }, () => client.getToken()));
    expect(new Set(tokens.map((t) => t.accessToken)).size).toBe(1);
    expect(fx.as.tokenRequests.length - before).toBe(1);
    await client.getToken();
    expect(fx.as.tokenRequests.length - before).toBe(1);
  });

  it('sends scope, resource (RFC 8707), audience and extra fields, and keys tokens by them', async () => {
    const client = createOAuth2Client({ issuer: fx.as.issuer, clientId: 'post', clientSecret: 'post-secret-3c9b1f6e2d', authMethod: 'client_secret_post', scope: 'api:read', parameters: { tenant: 'acme' } });
    const resource = 'https://api.fintoken.test/ledger';
    const token = await client.getToken({ resource, audience: 'ledger' });
    expect(fx.as.tokenRequests.at(-1)!.body).toMatchObject({ scope: 'api:read', resource, audience: 'ledger', tenant: 'acme' });
    // oidc-provider issues a JWT for a resource server, its aud the indicator.
    expect(JSON.parse(Buffer.from(token.accessToken.split('.')[1]!, 'base64url').toString())).toMatchObject({ aud: resource, scope: 'api:read' });
    const other = await client.getToken({ resource, audience: 'other' });
    expect(other.accessToken).not.toBe(token.accessToken);
    await expect(client.getToken({ parameters: { client_id: 'someone-else' } })).rejects.toMatchObject({ name: 'InvalidRequestError' });
  });

  it('no error, event, token or client ever shows a secret or a token', async () => {
    const events: FintokenEvent[] = [];
    const secret = 'post-secret-3c9b1f6e2d';
    const tokens: Token[] = [];
    const client = createOAuth2Client({ issuer: fx.as.issuer, clientId: 'post', clientSecret: secret, authMethod: 'client_secret_post', onEvent: (e) => events.push(e) });
    tokens.push(await client.getToken(), await client.getToken({ forceRefresh: true }));
    const wrong = createOAuth2Client({ issuer: fx.as.issuer, clientId: 'post', clientSecret: () => 'wrong-secret-PLANTED', authMethod: 'client_secret_post', onEvent: (e) => events.push(e), retry: false });
    const error = await wrong.getToken().catch((e: unknown) => e);
    const planted = [secret, 'wrong-secret-PLANTED', ...tokens.map((t) => t.accessToken)];
    expect(events.length).toBeGreaterThan(4);
    expect(leaks([events, error, client, wrong, tokens], planted)).toEqual([]);
  });
});
