import { createServer } from 'node:net';
import { startSandbox, type Sandbox } from '@fintoken/sandbox';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { providerIds, runFintoken, sandboxEnv, secretVar, type RunResult } from './helpers.js';

// Distinctive values: if any shows up in stdout or stderr, a secret leaked.
const CANARY = 'canary-SECRET-9f2c71d04be3a5';
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterEach(() => sandbox.faults.clear());
afterAll(() => sandbox.close());

function expectNoSecrets(result: RunResult, ...secrets: string[]): void {
  for (const secret of [CANARY, ...secrets]) {
    expect(result.stdout).not.toContain(secret);
    expect(result.stderr).not.toContain(secret);
  }
  // Errors never carry a token either: no JWT, no Bearer credential.
  expect(result.stderr).not.toMatch(/eyJ[\w-]{10,}/);
}

/** A port nobody listens on: bound once, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('exit codes and messages', () => {
  it.each(providerIds)('exits 3 when %s rejects the credentials (401), without echoing the secret', async (provider) => {
    const env = { ...sandboxEnv(sandbox, provider), [secretVar[provider]]: CANARY };
    const result = await runFintoken(['token', provider], { env });
    expect(result.code).toBe(3);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^fintoken: .+ \[ERR_AUTHENTICATION\]\n$/);
    expectNoSecrets(result);
  });

  it('exits 4 when the provider keeps answering 5xx (after retrying)', async () => {
    sandbox.faults.inject('layer.token', { status: 503, times: Infinity });
    const before = sandbox.stats.count('layer.token');
    const env = sandboxEnv(sandbox, 'layer');
    const result = await runFintoken(['token', 'layer'], { env });
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/503/);
    expect(result.stderr).toMatch(/\[ERR_PROVIDER\]/);
    // core's default retry policy: 4 attempts for a 5xx.
    expect(sandbox.stats.count('layer.token') - before).toBe(4);
    expectNoSecrets(result, env.LAYER_CLIENT_SECRET!);
  });

  it('does not print a secret the provider echoes back in its error body', async () => {
    const env = { ...sandboxEnv(sandbox, 'asset'), ASSET_CLIENT_SECRET: CANARY };
    sandbox.faults.inject('asset.token', { status: 400, body: { raw: JSON.stringify({ error: `invalid client_secret ${CANARY}` }), contentType: 'application/json' } });
    const result = await runFintoken(['token', 'asset'], { env });
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/\[ERR_PROVIDER\]/);
    expectNoSecrets(result);
  });

  it('exits 4 when the provider answers 200 with a body that is not a token', async () => {
    sandbox.faults.inject('thredfi.token', { body: 'html' });
    const result = await runFintoken(['token', 'thredfi'], { env: sandboxEnv(sandbox, 'thredfi') });
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/\[ERR_RESPONSE_VALIDATION\]/);
  });

  it('exits 5 when the provider cannot be reached', async () => {
    const port = await closedPort();
    const env = { ...sandboxEnv(sandbox, 'layer1'), LAYER1_TOKEN_URL: `http://127.0.0.1:${port}/realms/x/protocol/openid-connect/token`, LAYER1_CLIENT_SECRET: CANARY };
    const result = await runFintoken(['token', 'layer1'], { env });
    expect(result.code).toBe(5);
    expect(result.stderr).toMatch(/\[ERR_NETWORK\]/);
    expectNoSecrets(result);
  });

  it('exits 5 when the provider does not answer within --timeout', async () => {
    sandbox.faults.inject('asset.token', { hang: true, times: Infinity });
    const result = await runFintoken(['token', 'asset', '--timeout', '300'], { env: sandboxEnv(sandbox, 'asset'), timeoutMs: 20_000 });
    expect(result.code).toBe(5);
    expect(result.stderr).toMatch(/\[ERR_TIMEOUT\]/);
  });

  it('exits 2 naming every missing variable, and nothing is sent', async () => {
    const result = await runFintoken(['token', 'layer1'], { env: { LAYER1_CLIENT_ID: 'some-client' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'fintoken: LAYER1_CLIENT_SECRET, LAYER1_TOKEN_URL are not set: put them in the environment or in a file given with --env-file (never on the command line) [ERR_CONFIGURATION]\n',
    );
  });

  it('exits 2 naming the variable behind an invalid option, not its value', async () => {
    const env = { ...sandboxEnv(sandbox, 'layer'), LAYER_ENVIRONMENT: 'staging', LAYER_CLIENT_SECRET: CANARY };
    const result = await runFintoken(['token', 'layer'], { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/environment.*\(set by LAYER_ENVIRONMENT\)/);
    expect(result.stderr).not.toContain('staging');
    expectNoSecrets(result);
  });

  it('exits 2 for a business id the provider would never accept (nothing is sent)', async () => {
    const before = sandbox.stats.count('thredfi.token');
    const result = await runFintoken(['token', 'thredfi', '--business', 'not-a-uuid'], { env: sandboxEnv(sandbox, 'thredfi') });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/\[ERR_INVALID_REQUEST\]/);
    expect(sandbox.stats.count('thredfi.token')).toBe(before);
  });

  it('exits 6 for --business with Layer1, which has no business-scoped tokens', async () => {
    const result = await runFintoken(['token', 'layer1', '--business', 'b1'], { env: sandboxEnv(sandbox, 'layer1') });
    expect(result.code).toBe(6);
    expect(result.stderr).toMatch(/\[ERR_UNSUPPORTED\]/);
  });

  it.each(['--client-secret', '--api-key', '--client-id', '--partner-id'])('refuses a credential passed as %s, without echoing it', async (flag) => {
    for (const args of [[flag, CANARY], [`${flag}=${CANARY}`]]) {
      const result = await runFintoken(['token', 'layer', ...args], { env: sandboxEnv(sandbox, 'layer') });
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/never read from the command line.*environment/);
      expectNoSecrets(result);
    }
  });

  it('exits 2 for --seed without --sandbox', async () => {
    const result = await runFintoken(['token', 'layer', '--seed', 'demo'], { env: sandboxEnv(sandbox, 'layer') });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('fintoken: --seed only applies with --sandbox [ERR_CONFIGURATION]\n');
  });

  it('exits 2 for an unknown provider or option', async () => {
    expect((await runFintoken(['token', 'stripe'])).code).toBe(2);
    const unknown = await runFintoken(['token', 'layer', '--colour']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown option '--colour'/);
  });

  it('never prints the sandbox credentials while getting a token', async () => {
    const env = sandboxEnv(sandbox, 'thredfi');
    const result = await runFintoken(['token', 'thredfi', '--json'], { env });
    expect(result.code).toBe(0);
    expectNoSecrets({ ...result, stdout: result.stdout }, env.THREDFI_API_KEY!);
    expect(result.stderr).toBe('');
  });
});
