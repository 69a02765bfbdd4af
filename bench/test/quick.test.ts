import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quickProfile } from '../src/config.js';
import { startLocalSandbox } from '../src/sandbox/local.js';
import type { BenchSandbox } from '../src/sandbox/types.js';
import { runColdCache } from '../src/scenarios/coldCache.js';
import { runFleet } from '../src/scenarios/fleet.js';
import { runStorm } from '../src/scenarios/storm401.js';

// The quick profile's request-count scenarios, in-process against a sandbox of our own.
// Only request counts are asserted: timings depend on the machine and are never checked here.
describe('quick benchmark scenarios (request counts only)', () => {
  let sandbox: BenchSandbox;

  beforeAll(async () => {
    sandbox = await startLocalSandbox();
  });

  afterAll(async () => {
    await sandbox?.close();
  });

  it(`cold cache: fintoken makes exactly 1 token request for ${quickProfile.cold.callers} concurrent callers`, { timeout: 60_000 }, async () => {
    const rows = await runColdCache(sandbox, quickProfile.cold);
    const fintoken = rows.find((r) => r.peer === 'fintoken');
    expect(fintoken?.upstream).toEqual(Array(quickProfile.cold.runs).fill(1));
    expect(fintoken?.errors).toEqual(Array(quickProfile.cold.runs).fill(0));
    // The harness really counts: a peer without single-flight makes one request per caller.
    expect(rows.find((r) => r.peer === 'openid-client')?.upstream).toEqual(Array(quickProfile.cold.runs).fill(quickProfile.cold.callers));
  });

  it(`fleet: ${quickProfile.fleet.instances} processes sharing Redis make 1 token request, ${quickProfile.fleet.instances} without it`, { timeout: 90_000 }, async (ctx) => {
    const result = await runFleet(sandbox, quickProfile.fleet);
    if (result.skipped !== undefined) ctx.skip(result.skipped);
    const shared = result.rows.find((r) => r.mode === 'shared');
    const alone = result.rows.find((r) => r.mode === 'alone');
    expect(shared?.upstream).toEqual(Array(quickProfile.fleet.rounds).fill(1));
    expect(shared?.errors).toEqual(Array(quickProfile.fleet.rounds).fill(0));
    expect(alone?.upstream).toEqual(Array(quickProfile.fleet.rounds).fill(quickProfile.fleet.instances));
  });

  it(`401 storm: fintoken's client.fetch makes exactly 1 token request for ${quickProfile.storm.calls} concurrent 401s`, { timeout: 60_000 }, async () => {
    const rows = await runStorm(sandbox, quickProfile.storm);
    const fintoken = rows.filter((r) => r.peer === 'fintoken');
    expect(fintoken.map((r) => r.variant).sort()).toEqual(['spread', 'together']);
    for (const row of fintoken) {
      expect(row.tokenRequests, row.variant).toEqual(Array(quickProfile.storm.runs).fill(1));
      expect(row.failed, row.variant).toEqual(Array(quickProfile.storm.runs).fill(0));
    }
  });
});
