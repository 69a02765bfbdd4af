import { AuthenticationError } from './errors.js';
import type { Transport } from './transport.js';
import type { Token, TokenRequest } from './types.js';

/**
 * Mint a token with another token as the Bearer (Layer's and Thredfi's business tokens): if the
 * minting endpoint answers 401, the parent token was revoked or expired early, so refresh it
 * once (shared with every concurrent caller) and try once more.
 */
export async function withParentToken<T>(
  transport: Transport,
  getParent: (request?: TokenRequest) => Promise<Token>,
  call: (parent: Token) => Promise<T>,
): Promise<T> {
  const parent = await getParent();
  transport.redact.add(parent.accessToken);
  try {
    return await call(parent);
  } catch (error) {
    if (!(error instanceof AuthenticationError) || error.status !== 401) throw error;
    const fresh = await getParent({ forceRefresh: true, rejectedToken: parent.accessToken });
    transport.redact.add(fresh.accessToken);
    return call(fresh);
  }
}

/** `Authorization: Bearer …` for a token, whatever case the provider gave `token_type`. */
export function bearer(token: Token): string {
  return `Bearer ${token.accessToken}`;
}
