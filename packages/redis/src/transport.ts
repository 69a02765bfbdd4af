import { isLoopbackHost } from '@fintoken/core/provider';

/**
 * Whether the store's traffic crosses a network in clear text: a `redis://` URL (or a client
 * configured without TLS) to a host that is not loopback. Only what the client's options say is
 * read (ioredis `Redis` and `Cluster`, a node-redis client); a shape it cannot read counts as
 * unknown, not as plain text.
 */
export function isPlaintextRemote(client: unknown, url: string | undefined): boolean {
  if (url !== undefined) {
    const parsed = safeUrl(url);
    return parsed !== undefined && parsed.protocol === 'redis:' && !isLoopback(parsed.hostname);
  }
  if (typeof client !== 'object' || client === null) return false;
  const c = client as Record<string, unknown>;
  const options = c.options as Record<string, unknown> | undefined;
  if (typeof options !== 'object' || options === null) return false;
  // ioredis Cluster: startup nodes plus the options every node connection gets.
  if (c.isCluster === true && Array.isArray(c.startupNodes)) {
    const redisOptions = options.redisOptions as Record<string, unknown> | undefined;
    if (redisOptions?.tls !== undefined && redisOptions.tls !== false) return false;
    return c.startupNodes.some((node) => {
      const host = typeof node === 'string' ? safeUrl(node.includes('://') ? node : `redis://${node}`)?.hostname : (node as { host?: unknown })?.host;
      return typeof host === 'string' && !isLoopback(host);
    });
  }
  // ioredis Redis: host and tls (a Sentinel-managed one finds its master through the sentinels).
  if (typeof options.host === 'string' && 'lazyConnect' in options) {
    if (options.tls !== undefined && options.tls !== false) return false;
    const sentinels = options.sentinels as Array<{ host?: unknown }> | null | undefined;
    if (Array.isArray(sentinels) && sentinels.length > 0) return sentinels.some((s) => typeof s.host === 'string' && !isLoopback(s.host));
    return !isLoopback(options.host);
  }
  // node-redis client: url and/or socket options.
  const socket = options.socket as { host?: unknown; tls?: unknown } | undefined;
  if (socket?.tls === true) return false;
  if (typeof options.url === 'string') {
    const parsed = safeUrl(options.url);
    if (parsed !== undefined) return parsed.protocol === 'redis:' && !isLoopback(parsed.hostname);
  }
  return typeof socket?.host === 'string' && !isLoopback(socket.host);
}

function isLoopback(hostname: string): boolean {
  return isLoopbackHost(hostname);
}

function safeUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}
