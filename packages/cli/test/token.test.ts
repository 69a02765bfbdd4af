import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '@fintoken/sandbox';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { businessOf, providerIds, runFintoken, sandboxEnv } from './helpers.js';

let sandbox: Sandbox;
let dir: string;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  dir = await mkdtemp(join(tmpdir(), 'fintoken-cli-'));
});

afterAll(async () => {
  await sandbox.close();
  await rm(dir, { recursive: true, force: true });
});

describe('fintoken token', () => {
  it.each(providerIds)('prints a %s token from credentials in environment variables', async (provider) => {
    const before = sandbox.stats.count(`${provider}.token`);
    const result = await runFintoken(['token', provider], { env: sandboxEnv(sandbox, provider) });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const token = result.stdout.trimEnd();
    expect(result.stdout).toBe(`${token}\n`);
    // The sandbox issues JWTs whose issuer is that provider's emulator.
    expect(decodeJwt(token).iss).toContain(`/${provider}`);
    expect(sandbox.stats.count(`${provider}.token`)).toBe(before + 1);
  });

  it.each(providerIds)('prints a %s token from an embedded sandbox with --sandbox', async (provider) => {
    const result = await runFintoken(['token', provider, '--sandbox']);
    expect(result.code).toBe(0);
    expect(decodeJwt(result.stdout.trim()).exp).toBeGreaterThan(Date.now() / 1000);
  });

  it('prints the whole token as JSON with --json', async () => {
    const result = await runFintoken(['token', 'layer1', '--json'], { env: sandboxEnv(sandbox, 'layer1') });
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json).toMatchObject({ provider: 'layer1', tokenType: 'Bearer' });
    expect(decodeJwt(json.accessToken).azp ?? decodeJwt(json.accessToken).client_id).toBe(sandbox.credentials.layer1.clientId);
    // Layer1 tokens live 300 s in the sandbox; expiresAt is epoch ms on the local clock.
    expect(json.expiresAt).toBeGreaterThan(Date.now());
    expect(json.expiresAt).toBeLessThanOrEqual(Date.now() + 300_000);
    expect(new Date(json.expiresAtIso).getTime()).toBe(json.expiresAt);
  });

  it('prints an Authorization header line with --header that the provider accepts', async () => {
    const result = await runFintoken(['token', 'layer', '--header'], { env: sandboxEnv(sandbox, 'layer') });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Authorization: Bearer eyJ[\w-]+\.[\w-]+\.[\w-]+\n$/);
    // What curl -H "$(fintoken token layer --header)" would send: the Layer API accepts it.
    const [name, value] = result.stdout.trim().split(': ') as [string, string];
    const whoami = await fetch(`${sandbox.urls.layer.apiUrl}/whoami`, { headers: { [name]: value } });
    expect(whoami.status).toBe(200);
  });

  it('refuses --json together with --header', async () => {
    const result = await runFintoken(['token', 'layer', '--json', '--header'], { env: sandboxEnv(sandbox, 'layer') });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/cannot be used with/);
  });

  it.each(['layer', 'thredfi', 'asset'] as const)('mints a %s business-scoped token with --business', async (provider) => {
    const business = businessOf(sandbox, provider);
    const endpoint = `${provider}.businessToken` as const;
    const before = provider === 'asset' ? 0 : sandbox.stats.count(endpoint as 'layer.businessToken' | 'thredfi.businessToken');
    const result = await runFintoken(['token', provider, '--business', business, '--json'], { env: sandboxEnv(sandbox, provider) });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).businessId).toBe(business);
    if (provider !== 'asset') expect(sandbox.stats.count(endpoint as 'layer.businessToken' | 'thredfi.businessToken')).toBe(before + 1);
    else expect(decodeJwt(JSON.parse(result.stdout).accessToken).business_id).toBe(business);
  });

  it('mints a business token from the embedded sandbox with --sandbox --seed', async () => {
    const seeded = await startSandbox({ port: 0, seed: 'cli-test' });
    const business = businessOf(seeded, 'thredfi');
    await seeded.close();
    const result = await runFintoken(['token', 'thredfi', '--sandbox', '--seed', 'cli-test', '--business', business, '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).businessId).toBe(business);
  });

  it('asks Asset for each --scope and --resource', async () => {
    const resources = ['https://api.example.com/ledger', 'https://api.example.com/payments'];
    const result = await runFintoken(['token', 'asset', '--scope', 'ledger:read', '--scope', 'payments:write', '--resource', resources[0]!, '--resource', resources[1]!], {
      env: sandboxEnv(sandbox, 'asset'),
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const claims = decodeJwt(result.stdout.trim());
    expect(claims.scope).toBe('ledger:read payments:write');
    expect(claims.aud).toEqual(resources);
  });

  it('reads credentials from --env-file (export prefix, quotes, comments); the environment wins', async () => {
    const env = sandboxEnv(sandbox, 'asset');
    const file = join(dir, 'asset.env');
    await writeFile(
      file,
      [
        '# Asset sandbox',
        `export ASSET_CLIENT_ID="${env.ASSET_CLIENT_ID}"`,
        `ASSET_CLIENT_SECRET='${env.ASSET_CLIENT_SECRET}'  # keep out of git`,
        `ASSET_BASE_URL=http://127.0.0.1:1/nowhere`,
        '',
      ].join('\n'),
    );
    const result = await runFintoken(['token', 'asset', '--env-file', file], { env: { ASSET_BASE_URL: env.ASSET_BASE_URL! } });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(decodeJwt(result.stdout.trim()).client_id).toBe(env.ASSET_CLIENT_ID);
  });

  it('exits 2 naming the line, not its content, when --env-file is malformed', async () => {
    const file = join(dir, 'bad.env');
    await writeFile(file, 'ASSET_CLIENT_ID=abc\nASSET_CLIENT_SECRET canary-no-equals-sign\n');
    const result = await runFintoken(['token', 'asset', '--env-file', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`fintoken: --env-file ${file}: line 2 is not KEY=VALUE (or has an unclosed quote) [ERR_CONFIGURATION]\n`);
  });

  it('fails with no output on stdout when --env-file does not exist', async () => {
    const file = join(dir, 'missing.env');
    const result = await runFintoken(['token', 'asset', '--env-file', file]);
    // Node itself checks an `--env-file` argument even after the script path (nodejs/node#54232)
    // and exits 9 before fintoken runs; where it does not, fintoken reports it with exit 2.
    expect([2, 9]).toContain(result.code);
    expect(result.stderr).toContain(file);
    expect(result.stdout).toBe('');
  });
});
