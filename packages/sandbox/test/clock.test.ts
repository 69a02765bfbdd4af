import { decodeJwt } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../src/index.js';
import { basic, bearer, call, postForm } from './helpers.js';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ seed: 'clock-tests' });
});
afterEach(() => sandbox.clock.setSkewMs(0));
afterAll(() => sandbox.close());

const day = 86_400_000;
const layerToken = () => {
  const { clientId, clientSecret } = sandbox.credentials.layer;
  return postForm(
    sandbox.urls.layer.authUrl,
    { grant_type: 'client_credentials', scope: 'https://sandbox.layerfi.com/sandbox', client_id: clientId },
    { Authorization: basic(clientId, clientSecret) },
  );
};

describe('the sandbox clock', () => {
  it('is Date.now() plus the skew', () => {
    sandbox.clock.setSkewMs(day);
    expect(Math.abs(sandbox.clock.now() - (Date.now() + day))).toBeLessThan(1000);
  });

  it('drives the Date header and the iat/exp of tokens', async () => {
    sandbox.clock.setSkewMs(-day);
    const before = sandbox.clock.now();
    const res = await layerToken();
    const after = sandbox.clock.now();
    const date = Date.parse(res.headers.date as string);
    expect(date).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(date).toBeLessThanOrEqual(after);
    const claims = decodeJwt(res.json.access_token);
    expect(claims.iat).toBeGreaterThanOrEqual(Math.floor(before / 1000));
    expect(claims.iat).toBeLessThanOrEqual(Math.floor(after / 1000));
    expect(claims.exp).toBe(claims.iat! + 3600);
  });

  it('drives Asset’s absolute expires_in', async () => {
    sandbox.clock.setSkewMs(2 * day);
    const before = Math.floor(sandbox.clock.now() / 1000);
    const { clientId, clientSecret } = sandbox.credentials.asset;
    const res = await postForm(`${sandbox.urls.asset.baseUrl}/v0/auth/token`, { client_id: clientId, client_secret: clientSecret });
    const after = Math.floor(sandbox.clock.now() / 1000);
    expect(res.json.expires_in).toBeGreaterThanOrEqual(before + 3600);
    expect(res.json.expires_in).toBeLessThanOrEqual(after + 3600);
  });

  it('decides expiry: a token is refused once the clock passes its exp', async () => {
    const token = (await layerToken()).json.access_token;
    const url = `${sandbox.urls.layer.apiUrl}/whoami`;
    expect((await call(url, { headers: { Authorization: bearer(token) } })).status).toBe(200);
    sandbox.clock.setSkewMs(3600_000 + 1000);
    const expired = await call(url, { headers: { Authorization: bearer(token) } });
    expect(expired.status).toBe(401);
    expect(expired.json.description).toMatch(/expired/);
  });

  it('rejects a skew that is not a finite number', () => {
    expect(() => sandbox.clock.setSkewMs(Number.NaN)).toThrow(TypeError);
  });
});
