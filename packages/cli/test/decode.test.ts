import { startSandbox, type Sandbox } from '@fintoken/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFintoken, sandboxEnv } from './helpers.js';

let sandbox: Sandbox;
let jwt: string;

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
/** An unsigned-looking JWT with chosen claims: decode must show it all the same. */
const craft = (claims: Record<string, unknown>): string => `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64(claims)}.c2lnbmF0dXJl`;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  const result = await runFintoken(['token', 'layer1'], { env: sandboxEnv(sandbox, 'layer1') });
  jwt = result.stdout.trim();
});
afterAll(() => sandbox.close());

describe('fintoken decode', () => {
  it('shows header, claims and local times of a real sandbox token, saying the signature is not verified', async () => {
    const result = await runFintoken(['decode', jwt]);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')[0]).toMatch(/^Signature NOT verified/);
    expect(result.stdout).toMatch(/"alg": "ES256"/);
    expect(result.stdout).toContain(`"azp": "${sandbox.credentials.layer1.clientId}"`);
    // Layer1 tokens live 300 s in the sandbox (seed: layer1-authentication).
    expect(result.stdout).toMatch(/^Issued {5}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+00:00 {2}\((\d+m )?\d+s ago\)$/m);
    expect(result.stdout).toMatch(/^Expires {4}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+00:00 {2}\(expires in [345]m( \d+s)?\)$/m);
  });

  it('reads the token from stdin with -, including what `token --header` prints', async () => {
    const header = await runFintoken(['token', 'asset', '--header'], { env: sandboxEnv(sandbox, 'asset') });
    const result = await runFintoken(['decode', '-'], { input: header.stdout });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`"client_id": "${sandbox.credentials.asset.clientId}"`);
  });

  it('prints times in the local time zone and says how long ago a token expired', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = craft({ sub: 'x', iat: now - 3_780, exp: now - 180 });
    const result = await runFintoken(['decode', token], { env: { TZ: 'Asia/Kolkata' } });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Expires .* \+05:30 {2}\(expired 3m( \d+s)? ago\)$/m);
    expect(result.stdout).toMatch(/^Issued .* \+05:30 {2}\(1h 3m ago\)$/m);
  });

  it('says so when a token has no exp', async () => {
    const result = await runFintoken(['decode', craft({ sub: 'forever' })]);
    expect(result.stdout).toMatch(/^Expires {4}never \(no exp claim\)$/m);
  });

  it('prints JSON with verified: false for --json', async () => {
    const result = await runFintoken(['decode', '--json', jwt]);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json).toMatchObject({ verified: false, header: { alg: 'ES256' }, expired: false });
    expect(json.claims.azp).toBe(sandbox.credentials.layer1.clientId);
    expect(json.expiresInSeconds).toBeGreaterThan(200);
    expect(json.expiresInSeconds).toBeLessThanOrEqual(300);
  });

  it.each([
    ['garbage', 'not-a-jwt'],
    ['a bad payload', `${b64({ alg: 'none' })}.!!!.x`],
    ['an empty stdin', '-'],
  ])('exits 2 for %s without quoting the input', async (_name, input) => {
    const result = await runFintoken(['decode', input]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^fintoken: decode: not a JWT .* \[ERR_INVALID_REQUEST\]\n$/);
    if (input !== '-') expect(result.stderr).not.toContain(input);
  });
});
