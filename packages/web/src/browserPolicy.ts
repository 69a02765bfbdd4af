import { ConfigurationError, type BusinessTokenPolicy, type TokenClient } from '@fintoken/core';

export interface BrowserPolicyOptions {
  client: TokenClient;
  allowServerOnlyTokens?: boolean;
  lifetimeSeconds?: number;
  /** @deprecated alias of `lifetimeSeconds`. */
  sessionDuration?: number;
}

/**
 * What the endpoint may hand a browser, decided once at construction from the client's own
 * `businessTokens` policy (core `BusinessTokenPolicy`), and the lifetime fields every token
 * request then carries: `{ sessionDuration: 900 }` for Layer (sent as `session_duration`, seed
 * layer-business-auth-token), `{ expiresIn: 900 }` for Asset (sent as `expires_in`, seed
 * asset-access-token), `{}` without `lifetimeSeconds`.
 *
 * - `false`: the provider has no business-scoped tokens (Layer1): refused.
 * - `{ browser: false, reason }`: the provider says to keep them server-side (Thredfi: "never
 *   expose in client-side code"): refused unless `allowServerOnlyTokens: true`.
 * - `undefined`: a client of the integrator's own, which says nothing: allowed.
 * - `lifetimeSeconds` for a client that names no lifetime field: refused, rather than sent in a
 *   field the provider ignores (the browser would hold a token far longer than configured).
 */
export function browserTokenFields(factory: string, options: BrowserPolicyOptions): Readonly<Record<string, number>> {
  const { client, allowServerOnlyTokens = false, sessionDuration } = options;
  if (options.lifetimeSeconds !== undefined && sessionDuration !== undefined) {
    throw new ConfigurationError(`${factory}: invalid options: sessionDuration is the deprecated name of lifetimeSeconds: give only lifetimeSeconds`);
  }
  const lifetimeSeconds = options.lifetimeSeconds ?? sessionDuration;
  const option = options.lifetimeSeconds === undefined ? 'sessionDuration' : 'lifetimeSeconds';
  const policy = client.businessTokens;
  const provider = providerName(client);
  if (policy === false) {
    throw new ConfigurationError(
      `${factory}: the ${provider} client has no business-scoped tokens (its businessTokens is false), so there is nothing this endpoint may hand a browser`,
    );
  }
  if (policy !== undefined && !isPolicy(policy)) {
    throw new ConfigurationError(`${factory}: invalid options: client: businessTokens must be false or { browser: boolean, lifetimeField?: string, reason?: string }`);
  }
  if (policy?.browser === false && !allowServerOnlyTokens) {
    const reason = policy.reason ?? 'its client says they are for server-side use only';
    throw new ConfigurationError(
      `${factory}: ${provider} business tokens are not meant for browsers: ${reason}. ` +
        'To hand them to browsers anyway, set allowServerOnlyTokens: true (the browser then holds a token its provider says to keep server-side).',
    );
  }
  if (lifetimeSeconds === undefined) return {};
  const field = policy?.lifetimeField;
  if (field === undefined) {
    const why =
      policy === undefined
        ? 'this client declares no businessTokens policy naming its lifetime field; pass your provider\'s own field through request instead'
        : `the ${provider} provider takes no token lifetime`;
    throw new ConfigurationError(`${factory}: invalid options: ${option}: ${why}`);
  }
  return Object.freeze({ [field]: lifetimeSeconds });
}

function isPolicy(value: unknown): value is BusinessTokenPolicy {
  if (typeof value !== 'object' || value === null) return false;
  const { browser, lifetimeField, reason } = value as Record<string, unknown>;
  return (
    typeof browser === 'boolean' &&
    (lifetimeField === undefined || (typeof lifetimeField === 'string' && lifetimeField !== '')) &&
    (reason === undefined || typeof reason === 'string')
  );
}

/** The client's provider name for messages (`layer`, `thredfi`): never anything that could be a value of the caller's. */
function providerName(client: TokenClient): string {
  return typeof client.provider === 'string' && /^[\w.-]{1,40}$/.test(client.provider) ? client.provider : 'this';
}
