import type { Driver } from './driver.js';
import { ioredisDriver, isIoredis } from './ioredisDriver.js';
import { nodeRedisDriver, nodeRedisFlavor } from './nodeRedisDriver.js';

/**
 * Which client library `client` comes from, or `undefined` when it is neither: an ioredis
 * `Redis` (standalone or Sentinel-managed) or `Cluster`, or a node-redis client, cluster
 * (`createCluster`) or sentinel (`createSentinel`).
 */
export function driverFor(client: unknown): Driver | undefined {
  if (typeof client !== 'object' || client === null) return undefined;
  // node-redis first: both libraries have `sendCommand`, only node-redis has `isOpen`.
  const flavor = nodeRedisFlavor(client);
  if (flavor !== undefined) return nodeRedisDriver(client, flavor);
  if (isIoredis(client)) return ioredisDriver(client);
  return undefined;
}
