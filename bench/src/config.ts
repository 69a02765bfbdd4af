import { defaultTokenTtl } from '@fintoken/sandbox';
import type { ClusterFleetOptions } from './scenarios/clusterFleet.js';
import type { EdgeFleetOptions } from './scenarios/edgeFleet.js';
import type { ColdCacheOptions } from './scenarios/coldCache.js';
import type { ColdStartOptions } from './scenarios/coldStart.js';
import type { ExpiryOptions } from './scenarios/expiry.js';
import type { ExpressOptions } from './scenarios/express.js';
import type { FleetOptions } from './scenarios/fleet.js';
import type { ImportTimeOptions } from './scenarios/importTime.js';
import type { LifecycleOptions } from './scenarios/fleetLifecycle.js';
import type { MemoryOptions } from './scenarios/memory.js';
import type { StormOptions } from './scenarios/storm401.js';
import type { WarmCacheOptions } from './scenarios/warmCache.js';

/** Every knob of one benchmark run. `full` must finish within 10 minutes on 2 cores. */
export interface Profile {
  name: 'full' | 'quick';
  cold: ColdCacheOptions;
  warm: WarmCacheOptions;
  expiry: ExpiryOptions;
  express: ExpressOptions;
  memory: MemoryOptions;
  fleet: FleetOptions;
  /** Scenario 6's second table (restart after a clean exit, holder killed, Redis restarted). */
  fleetLifecycle: LifecycleOptions;
  storm: StormOptions;
  /** Scenario 10: fresh process to first token, per provider, paired with oauth4webapi. */
  coldStart: ColdStartOptions;
  /** Scenario 11: import time of fintoken's packages, the peers and fintoken's dependencies. */
  importTime: ImportTimeOptions;
  /** Scenario 13: the fleet on a Redis Cluster of its own, cold and while the token's master fails over. */
  clusterFleet: ClusterFleetOptions;
  edgeFleet: EdgeFleetOptions;
  /** Bound of each scenario as a whole. */
  scenarioTimeoutMs: number;
}

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export const fullProfile: Profile = {
  name: 'full',
  cold: { callers: 10_000, runs: 5 },
  warm: { rounds: 5, timeMs: 500, batch: 1_000, slowTimeMs: 300 },
  expiry: { ttlSeconds: 2, callers: 200, durationMs: 20_000, paceMs: 10, aroundMs: 50 },
  express: { rounds: 3, durationSeconds: 10, connections: 50 },
  memory: { tokens: 100_000, rounds: 3, tokenLength: 600 },
  fleet: { instances: 8, callers: 100, rounds: 5, redisUrl },
  fleetLifecycle: { instances: 8, callers: 100 },
  storm: { calls: 100, runs: 5, ttlSeconds: defaultTokenTtl.layer1, spreadMs: 100 },
  coldStart: { pairs: 9 },
  importTime: { rounds: 9 },
  clusterFleet: { instances: 8, callers: 100, rounds: 3, loadCallers: 10, loadMs: 20_000, pauseMs: 10, killAfterMs: 8_000 },
  edgeFleet: { workers: 7, callers: 100, rounds: 3, ttlSeconds: 4, loadMs: 12_000, loadCallers: 10 },
  // Five rounds of four peers sending 10,000 token requests each take minutes on a slow 2-core machine.
  scenarioTimeoutMs: 480_000,
};

export const quickProfile: Profile = {
  name: 'quick',
  cold: { callers: 1_000, runs: 1 },
  warm: { rounds: 2, timeMs: 100, batch: 1_000, slowTimeMs: 100 },
  expiry: { ttlSeconds: 2, callers: 200, durationMs: 6_000, paceMs: 10, aroundMs: 50 },
  express: { rounds: 1, durationSeconds: 5, connections: 50 },
  memory: { tokens: 10_000, rounds: 1, tokenLength: 600 },
  fleet: { instances: 8, callers: 100, rounds: 1, redisUrl },
  fleetLifecycle: { instances: 4, callers: 25 },
  storm: { calls: 100, runs: 1, ttlSeconds: defaultTokenTtl.layer1, spreadMs: 100 },
  coldStart: { pairs: 3 },
  importTime: { rounds: 3 },
  clusterFleet: { instances: 4, callers: 50, rounds: 1, loadCallers: 5, loadMs: 12_000, pauseMs: 10, killAfterMs: 5_000 },
  edgeFleet: { workers: 3, callers: 50, rounds: 1, ttlSeconds: 4, loadMs: 8_000, loadCallers: 5 },
  // Scenario 6 forks two fleets for its lifecycle rows: a minute is too tight on 2 busy cores.
  scenarioTimeoutMs: 120_000,
};
