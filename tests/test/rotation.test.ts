import { inspect } from 'node:util';
import { AuthenticationError, ConfigurationError, type CredentialInput, type FintokenEvent, type Token } from '@fintoken/core';
import { createAssetClient } from '@fintoken/asset';
import { createLayerClient } from '@fintoken/layer';
import { createLayer1Client } from '@fintoken/layer1';
import { startSandbox, type EndpointName, type ProviderName, type Sandbox } from '@fintoken/sandbox';
import { createThredfiClient } from '@fintoken/thredfi';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

// Secrets that rotate while the process runs (issue #23): a secret given as a function is read on
// first use, and read again, once for every concurrent caller, when the provider refuses it,
// before the refusal reaches anyone. Each provider against its sandbox emulator, rotated there as an
// operator would in the provider's console.

interface RotationTarget {
  provider: ProviderName;
  endpoint: EndpointName;
  /** The secret as the sandbox holds it now. */
  current(sandbox: Sandbox): string;
  /** A client whose secret comes from `secret`, and the calls whose tokens need that secret. */
  create(sandbox: Sandbox, secret: CredentialInput<string>, events?: FintokenEvent[]): {
    client: object & { invalidate(): Promise<void> };
    token(): Promise<Token>;
    /** Many concurrent loads, each needing its own request with the secret. */
    many?(): Promise<Token[]>;
  };
}

const onEvent = (events?: FintokenEvent[]) => (events === undefined ? {} : { onEvent: (e: FintokenEvent) => events.push(e) });

const TARGETS: RotationTarget[] = [
  {
    provider: 'layer',
    endpoint: 'layer.token',
    current: (s) => s.credentials.layer.clientSecret,
    create(sandbox, clientSecret, events) {
      const client = createLayerClient({
        clientId: sandbox.credentials.layer.clientId,
        clientSecret,
        environment: 'sandbox',
        authUrl: sandbox.urls.layer.authUrl,
        apiUrl: sandbox.urls.layer.apiUrl,
        ...onEvent(events),
      });
      return { client, token: () => client.getToken() };
    },
  },
  {
    provider: 'thredfi',
    endpoint: 'thredfi.token',
    current: (s) => s.credentials.thredfi.apiKey,
    create(sandbox, apiKey, events) {
      const client = createThredfiClient({ partnerId: sandbox.credentials.thredfi.partnerId, apiKey, baseUrl: sandbox.urls.thredfi.baseUrl, ...onEvent(events) });
      return { client, token: () => client.getToken() };
    },
  },
  {
    provider: 'asset',
    endpoint: 'asset.token',
    current: (s) => s.credentials.asset.clientSecret,
    create(sandbox, clientSecret, events) {
      const client = createAssetClient({
        clientId: sandbox.credentials.asset.clientId,
        clientSecret,
        environment: 'sandbox',
        baseUrl: sandbox.urls.asset.baseUrl,
        ...onEvent(events),
      });
      return {
        client,
        token: () => client.getToken(),
        // One token request per business, all at once: each one is refused after a rotation.
        many: () => Promise.all(sandbox.businesses.asset.allowed.map((businessId) => client.getToken({ businessId }))),
      };
    },
  },
  {
    provider: 'layer1',
    endpoint: 'layer1.token',
    current: (s) => s.credentials.layer1.clientSecret,
    create(sandbox, clientSecret, events) {
      const client = createLayer1Client({ clientId: sandbox.credentials.layer1.clientId, clientSecret, tokenUrl: sandbox.urls.layer1.tokenUrl, ...onEvent(events) });
      return { client, token: () => client.getToken() };
    },
  },
];

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ seed: 'rotation' });
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.stats.reset());

/** A secrets manager: the client asks it, and it answers with whatever the operator stored last. */
function secretsManager(initial: string) {
  const vault = { value: initial, reads: 0 };
  return {
    vault,
    read: async () => {
      vault.reads++;
      await new Promise((r) => setTimeout(r, 5));
      return vault.value;
    },
  };
}

describe.each(TARGETS)('$provider: a secret that rotates', (target) => {
  it('is read on first use, and after a rotation the next token request succeeds with the new secret; the refusal reaches no one', async () => {
    const { vault, read } = secretsManager(target.current(sandbox));
    const events: FintokenEvent[] = [];
    const { client, token } = target.create(sandbox, read, events);
    expect(vault.reads).toBe(0); // nothing read at construction
    const first = await token();
    expect(vault.reads).toBe(1);

    // The operator rotates at the provider and stores the new secret in the vault.
    vault.value = sandbox.rotateSecret(target.provider);
    await client.invalidate();
    sandbox.stats.reset();
    const second = await token();
    expect(second.accessToken).not.toBe(first.accessToken);
    // One refused request with the old secret, one read of the vault, one accepted request.
    expect(sandbox.stats.count(target.endpoint)).toBe(2);
    expect(vault.reads).toBe(2);
    expect(events.filter((e) => e.type === 'token.failed')).toEqual([]);
    // Kept from then on: no read per request.
    await client.invalidate();
    await token();
    expect(vault.reads).toBe(2);
  });

  it('re-reads once for every caller that saw the same refusal', async () => {
    const { vault, read } = secretsManager(target.current(sandbox));
    const { client, token, many } = target.create(sandbox, read);
    await token();
    vault.value = sandbox.rotateSecret(target.provider);
    await client.invalidate();
    const loads = many ?? (() => Promise.all(Array.from({ length: 50 }, () => token())));
    const tokens = await loads();
    expect(tokens.every((t) => t.accessToken.length > 0)).toBe(true);
    expect(vault.reads).toBe(2);
  });

  it('surfaces the refusal when the re-read brings nothing new, with neither secret anywhere in it', async () => {
    const old = target.current(sandbox);
    const stale = async () => old;
    const events: FintokenEvent[] = [];
    const { client, token } = target.create(sandbox, stale, events);
    await token();
    const fresh = sandbox.rotateSecret(target.provider);
    await client.invalidate();
    sandbox.stats.reset();
    const error = await token().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AuthenticationError);
    // The old secret was refused; the re-read returned it again: no second attempt.
    expect(sandbox.stats.count(target.endpoint)).toBe(1);
    const surfaces = [String(error), (error as Error).message, JSON.stringify(error), inspect(error, { depth: 8 }), inspect(client, { depth: 8 }), JSON.stringify(client), JSON.stringify(events)];
    for (const text of surfaces) {
      expect(text).not.toContain(old);
      expect(text).not.toContain(fresh);
    }
  });

  it('a fixed secret is never re-read: a rotation surfaces as an AuthenticationError', async () => {
    const { client, token } = target.create(sandbox, target.current(sandbox));
    await token();
    sandbox.rotateSecret(target.provider);
    await client.invalidate();
    sandbox.stats.reset();
    await expect(token()).rejects.toBeInstanceOf(AuthenticationError);
    expect(sandbox.stats.count(target.endpoint)).toBe(1);
  });

  it('a secret function that fails or answers nonsense is a ConfigurationError, and nothing is sent', async () => {
    const leaked = `vault-error-${target.provider}-s3cr3t-value`;
    const failing = target.create(sandbox, async () => {
      throw new Error(`could not decrypt ${leaked}`);
    });
    const error = await failing.token().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(JSON.stringify(error) + String(error)).not.toContain(leaked);
    const empty = target.create(sandbox, () => '');
    await expect(empty.token()).rejects.toBeInstanceOf(ConfigurationError);
    expect(sandbox.stats.count(target.endpoint)).toBe(0);
  });
});
