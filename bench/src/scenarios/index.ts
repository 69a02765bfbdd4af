import type { Profile } from '../config.js';
import type { BenchSandbox } from '../sandbox/types.js';
import { reportBundleSize, runBundleSize } from './bundleSize.js';
import { reportClusterFleet, runClusterFleet } from './clusterFleet.js';
import { reportEdgeFleet, runEdgeFleet } from './edgeFleet.js';
import { reportColdCache, runColdCache } from './coldCache.js';
import { reportColdStart, runColdStart } from './coldStart.js';
import { reportExpiry, runExpiry } from './expiry.js';
import { reportExpress, runExpress } from './express.js';
import { reportFleet, runFleet } from './fleet.js';
import { reportImportTime, runImportTime } from './importTime.js';
import { runFleetLifecycle } from './fleetLifecycle.js';
import { reportMemory, runMemory } from './memory.js';
import { reportStorm, runStorm } from './storm401.js';
import type { ScenarioReport } from './types.js';
import { reportWarmCache, runWarmCache } from './warmCache.js';
import { reportWeb, runWeb } from './web.js';
import { reportWorkerBundle, runWorkerBundle } from './workerBundle.js';

export interface RunContext {
  profile: Profile;
  /** Sandbox with default token lifetimes. */
  sandbox: BenchSandbox;
  /** Sandbox whose Layer1 tokens live `profile.expiry.ttlSeconds` (started on demand). */
  shortTtlSandbox: () => Promise<BenchSandbox>;
  log: (line: string) => void;
}

export interface Scenario {
  number: number;
  id: string;
  run(ctx: RunContext): Promise<ScenarioReport>;
}

/** The scenarios in report order; `--only 1,cold-cache` selects by number or id. */
export const scenarios: readonly Scenario[] = [
  { number: 1, id: 'cold-cache', run: async ({ profile, sandbox, log }) => reportColdCache(await runColdCache(sandbox, profile.cold, log), profile.cold) },
  { number: 2, id: 'warm-cache', run: async ({ profile, sandbox, log }) => reportWarmCache(await runWarmCache(sandbox, profile.warm, log), profile.warm) },
  { number: 3, id: 'expiry', run: async ({ profile, shortTtlSandbox, log }) => reportExpiry(await runExpiry(await shortTtlSandbox(), profile.expiry, log), profile.expiry) },
  { number: 4, id: 'express', run: async ({ profile, sandbox, log }) => reportExpress(await runExpress(sandbox, profile.express, log), profile.express) },
  { number: 5, id: 'memory', run: async ({ profile, log }) => reportMemory(await runMemory(profile.memory, log), profile.memory) },
  {
    number: 6,
    id: 'fleet',
    run: async ({ profile, sandbox, shortTtlSandbox, log }) => {
      const cold = await runFleet(sandbox, profile.fleet, log);
      const lifecycle = await runFleetLifecycle(await shortTtlSandbox(), profile.expiry.ttlSeconds, profile.fleetLifecycle, log);
      return reportFleet(cold, profile.fleet, lifecycle, profile.fleetLifecycle);
    },
  },
  { number: 7, id: '401-storm', run: async ({ profile, sandbox, log }) => reportStorm(await runStorm(sandbox, profile.storm, log), profile.storm) },
  { number: 8, id: 'web', run: async ({ profile, sandbox, log }) => reportWeb(await runWeb(sandbox, profile.express, log), profile.express) },
  { number: 9, id: 'bundle-size', run: async ({ log }) => reportBundleSize(await runBundleSize(log)) },
  { number: 10, id: 'cold-start', run: async ({ profile, sandbox, log }) => reportColdStart(await runColdStart(sandbox, profile.coldStart, log), profile.coldStart) },
  { number: 11, id: 'import-time', run: async ({ profile, log }) => reportImportTime(await runImportTime(profile.importTime, log), profile.importTime) },
  { number: 12, id: 'worker-bundle', run: async ({ log }) => reportWorkerBundle(await runWorkerBundle(log)) },
  {
    number: 13,
    id: 'cluster-fleet',
    run: async ({ profile, sandbox, shortTtlSandbox, log }) =>
      reportClusterFleet(await runClusterFleet(sandbox, shortTtlSandbox, profile.expiry.ttlSeconds, profile.clusterFleet, log), profile.clusterFleet),
  },
  { number: 14, id: 'edge-fleet', run: async ({ profile, sandbox, log }) => reportEdgeFleet(await runEdgeFleet(sandbox, profile.edgeFleet, log), profile.edgeFleet) },
];
