import type { Driver } from './driver.js';
import { ioredisDriver, isIoredis } from './ioredisDriver.js';
import { isNodeRedis, nodeRedisDriver } from './nodeRedisDriver.js';

/** Which client library `client` comes from, or `undefined` when it is neither. */
export function driverFor(client: unknown): Driver | undefined {
  if (typeof client !== 'object' || client === null) return undefined;
  // node-redis first: both libraries have `sendCommand`, only node-redis has `isOpen`.
  if (isNodeRedis(client)) return nodeRedisDriver(client);
  if (isIoredis(client)) return ioredisDriver(client);
  return undefined;
}
