import { AuthenticationError } from '@fintoken/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOAuth2Client } from '../src/index.js';
import { certificateJwk, SECRETS } from './support/authorizationServer.js';
import { useAuthorizationServer } from './support/fixture.js';
import { x5tS256 } from './support/pki.js';
import { startResourceServer, type ResourceServer } from './support/resourceServer.js';

const fx = useAuthorizationServer();
let api: ResourceServer;
beforeAll(async () => {
  api = await startResourceServer(fx.as, 'mtls', fx.pki);
});
afterAll(() => api.close());

const tls = (pem: { cert: string; key: string }) => ({ ...pem, ca: fx.pki.ca.cert });

describe('mutual TLS (RFC 8705) against oidc-provider over HTTPS', () => {
  it('tls_client_auth: the certificate authenticates, through the mtls_endpoint_aliases token endpoint, and binds the token (cnf.x5t#S256)', async () => {
    const client = createOAuth2Client({ issuer: fx.as.issuer, clientId: 'mtls', tls: tls(fx.pki.client), apiUrl: api.url });
    const token = await client.getToken();
    const request = fx.as.tokenRequests.at(-1)!;
    expect(request.secure).toBe(true);
    expect(request.body).toEqual({ grant_type: 'client_credentials', client_id: 'mtls' });
    expect(await fx.as.introspect(token.accessToken)).toMatchObject({ active: true, cnf: { 'x5t#S256': x5tS256(fx.pki.client.cert) } });
    // The API is called over the same certificate, so the bound token is accepted.
    const response = await client.fetch('/accounts');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, client: 'mtls' });
  });

  it('a certificate-bound token stolen and sent over another certificate is refused', async () => {
    const owner = createOAuth2Client({ issuer: fx.as.issuer, clientId: 'mtls', tls: tls(fx.pki.client), apiUrl: api.url });
    const { accessToken } = await owner.getToken();
    // The thief holds a certificate from the same CA, but not the one the token is bound to.
    const thief = createOAuth2Client({ issuer: fx.as.issuer, clientId: 'bound', clientSecret: SECRETS.bound, tls: tls(fx.pki.other), apiUrl: api.url });
    const response = await thief.fetch('/accounts', { headers: { authorization: `Bearer ${accessToken}` } });
    expect(response.status).toBe(401);
    expect(api.requests.at(-1)!.reason).toBe('token bound to another certificate');
  });

  it('a certificate whose subject is not the registered one is refused (invalid_client)', async () => {
    const client = createOAuth2Client({ issuer: fx.as.issuer, clientId: 'mtls', tls: tls(fx.pki.other), retry: false });
    await expect(client.getToken()).rejects.toBeInstanceOf(AuthenticationError);
  });

  it('a secret authenticates and the certificate only binds the token', async () => {
    const client = createOAuth2Client({ issuer: fx.as.issuer, clientId: 'bound', clientSecret: SECRETS.bound, tls: tls(fx.pki.other) });
    const token = await client.getToken();
    expect(fx.as.tokenRequests.at(-1)!.secure).toBe(true);
    expect(await fx.as.introspect(token.accessToken)).toMatchObject({ cnf: { 'x5t#S256': x5tS256(fx.pki.other.cert) } });
  });

  it('self_signed_tls_client_auth, with a certificate that rotates: re-read after invalid_client, once', async () => {
    await fx.as.register({
      client_id: 'self-signed',
      token_endpoint_auth_method: 'self_signed_tls_client_auth',
      tls_client_certificate_bound_access_tokens: true,
      jwks: { keys: [certificateJwk(fx.pki.selfSigned.cert)] },
    });
    let current = fx.pki.selfSigned;
    let reads = 0;
    const client = createOAuth2Client({
      issuer: fx.as.issuer,
      clientId: 'self-signed',
      authMethod: 'self_signed_tls_client_auth',
      tls: async () => {
        reads += 1;
        return tls(current);
      },
      retry: false,
    });
    const first = await client.getToken();
    expect(await fx.as.introspect(first.accessToken)).toMatchObject({ cnf: { 'x5t#S256': x5tS256(fx.pki.selfSigned.cert) } });
    // The server now knows only the next certificate; the mounted file has it too.
    await fx.as.register({
      client_id: 'self-signed',
      token_endpoint_auth_method: 'self_signed_tls_client_auth',
      tls_client_certificate_bound_access_tokens: true,
      jwks: { keys: [certificateJwk(fx.pki.selfSignedNext.cert)] },
    });
    current = fx.pki.selfSignedNext;
    const before = fx.as.tokenRequests.length;
    const second = await client.getToken({ forceRefresh: true });
    expect(fx.as.tokenRequests.slice(before).map((r) => r.status)).toEqual([401, 200]);
    expect(reads).toBe(2);
    expect(await fx.as.introspect(second.accessToken)).toMatchObject({ cnf: { 'x5t#S256': x5tS256(fx.pki.selfSignedNext.cert) } });
  });
});
