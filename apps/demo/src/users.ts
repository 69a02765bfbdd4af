import type { UserBusinesses } from './config.js';
import type { SandboxTarget } from './connections.js';
import type { Connections } from './connections.js';
import { businessProviders, type BusinessProviderId } from './providers.js';

/** Demo user name -> the businesses that user may act for, per provider (the first is the default). */
export type Directory = ReadonlyMap<string, UserBusinesses>;

const sandboxUsers = ['alice', 'bob'] as const;

function sandboxIds(sandbox: SandboxTarget, provider: BusinessProviderId): string[] {
  const b = sandbox.businesses;
  return provider === 'layer' ? b.layer.active : provider === 'thredfi' ? b.thredfi.owned : b.asset.allowed;
}

/**
 * The authorization data behind the token endpoints. For a provider on the sandbox, alice gets its
 * first business and bob its second, so each can be refused the other's; DEMO_BUSINESSES_<USER>
 * adds users or replaces a user's businesses for a provider.
 */
export function buildDirectory(connections: Connections, sandbox: SandboxTarget | undefined, configured: Record<string, UserBusinesses>): Directory {
  const users = new Map<string, UserBusinesses>();
  for (const [index, user] of sandboxUsers.entries()) {
    const entry: UserBusinesses = {};
    for (const provider of businessProviders) {
      const id = sandbox !== undefined && connections[provider].mode === 'sandbox' ? sandboxIds(sandbox, provider)[index] : undefined;
      if (id !== undefined) entry[provider] = [id];
    }
    users.set(user, entry);
  }
  for (const [user, entry] of Object.entries(configured)) users.set(user, { ...users.get(user), ...entry });
  return users;
}

/** The business `user` asks for (or their default), if they may act for it; otherwise undefined. */
export function allowedBusiness(directory: Directory, user: string | undefined, provider: BusinessProviderId, requested?: unknown): string | undefined {
  if (user === undefined) return undefined;
  const allowed = directory.get(user)?.[provider] ?? [];
  const wanted = requested === undefined ? allowed[0] : requested;
  return typeof wanted === 'string' && allowed.includes(wanted) ? wanted : undefined;
}

/** Does `user` act for `businessId` at `provider`? (Decides which server events they may watch.) */
export function actsFor(directory: Directory, user: string, provider: string, businessId: string): boolean {
  const allowed = directory.get(user)?.[provider as BusinessProviderId];
  return allowed !== undefined && allowed.includes(businessId);
}
