import { ConfigurationError, type Token, type TokenRequest } from '@fintoken/core';
import { startSandbox, type Sandbox } from '@fintoken/sandbox';
import { Agent } from 'undici';
import { loadEnv, type Env } from './envFile.js';
import { createClient, optionsFromEnv, providers, secretValues, type ProviderId } from './providers.js';

export interface TokenOptions {
  business?: string;
  scope?: string[];
  resource?: string[];
  json?: boolean;
  header?: boolean;
  envFile?: string;
  sandbox?: boolean;
  seed?: string;
  timeout?: number;
}

/** What the command learned that must never be printed, for the error path's redactor. */
export type SecretSink = (values: string[]) => void;

function request(options: TokenOptions): TokenRequest {
  const out: TokenRequest = {};
  if (options.business !== undefined) out.businessId = options.business;
  if (options.scope !== undefined) out.scope = options.scope;
  if (options.resource !== undefined) out.resource = options.resource;
  return out;
}

/**
 * One token, from the environment's credentials or from an embedded sandbox. The CLI's own
 * dispatcher is closed afterwards: core's shared keep-alive pool would hold the process open
 * for seconds after the answer.
 */
export async function fetchToken(id: ProviderId, options: TokenOptions, env: Env, remember: SecretSink): Promise<Token> {
  if (options.seed !== undefined && !options.sandbox) throw new ConfigurationError('--seed only applies with --sandbox');
  const dispatcher = new Agent({ keepAliveTimeout: 1_000 });
  let sandbox: Sandbox | undefined;
  try {
    let clientOptions: Record<string, unknown>;
    if (options.sandbox) {
      sandbox = await startSandbox({ port: 0, ...(options.seed === undefined ? {} : { seed: options.seed }) });
      clientOptions = providers[id].sandboxOptions(sandbox);
      const c = sandbox.credentials;
      remember([c.layer.clientSecret, c.thredfi.apiKey, c.asset.clientSecret, c.layer1.clientSecret]);
    } else {
      const merged = await loadEnv(env, options.envFile);
      remember(secretValues(merged));
      clientOptions = optionsFromEnv(id, merged);
    }
    const common = { dispatcher, ...(options.timeout === undefined ? {} : { timeoutMs: options.timeout }) };
    const client = createClient(id, clientOptions, common, !options.sandbox);
    const token = await client.getToken(request(options));
    remember([token.accessToken]);
    return token;
  } finally {
    await dispatcher.close();
    await sandbox?.close();
  }
}

/** stdout: the bare token (default), an Authorization header line, or the whole Token as JSON. */
export function formatToken(id: ProviderId, token: Token, options: TokenOptions): string {
  // RFC 6750 §2.1: the scheme is "Bearer" whatever case the provider's token_type used.
  if (options.header) return `Authorization: Bearer ${token.accessToken}\n`;
  if (options.json) return `${JSON.stringify({ provider: id, ...token, expiresAtIso: new Date(token.expiresAt).toISOString() }, null, 2)}\n`;
  return `${token.accessToken}\n`;
}
