// `pnpm bench [--quick] [--only 1,3] [--out dir]`: runs the scenarios against sandboxes in child
// processes and writes RESULTS.md and results.json (RESULTS.quick.md / results.quick.json with --quick).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { fullProfile, quickProfile } from './config.js';
import { describeMachine } from './machine.js';
import { renderMarkdown, toJson, type BenchResults } from './report.js';
import { startRemoteSandbox } from './sandbox/remote.js';
import type { BenchSandbox } from './sandbox/types.js';
import { scenarios } from './scenarios/index.js';
import { within } from './util/time.js';

// A leading `--` is what a wrapper script leaves when it forwards its arguments with one
// (`pnpm bench -- --quick`, or a script ending in `--`); it ends no options here.
const args = process.argv.slice(2);
if (args[0] === '--') args.shift();

const { values } = parseArgs({
  args,
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    out: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
  strict: true,
});

if (values.help) {
  process.stdout.write(`Usage: pnpm bench [--quick] [--only 1,3|cold-cache,...] [--out dir]\n\nScenarios: ${scenarios.map((s) => `${s.number} ${s.id}`).join(', ')}\n`);
  process.exit(0);
}

const profile = values.quick ? quickProfile : fullProfile;
const wanted = values.only?.split(',').map((s) => s.trim());
const selected = scenarios.filter((s) => wanted === undefined || wanted.includes(String(s.number)) || wanted.includes(s.id));
if (selected.length === 0) throw new Error(`--only matched no scenario (${values.only})`);
const outDir = values.out ?? fileURLToPath(new URL('..', import.meta.url));
const suffix = profile.name === 'quick' ? '.quick' : '';
const log = (line: string) => process.stderr.write(`${line}\n`);

const startedAt = new Date();
const t0 = performance.now();
const results: BenchResults = { profile: profile.name, machine: describeMachine(startedAt), startedAt: startedAt.toISOString(), durationMs: 0, scenarios: [], failures: [] };

log(`fintoken bench (${profile.name}) on ${results.machine.cpu}, ${results.machine.cores} cores, Node ${results.machine.node}`);
const sandbox = await startRemoteSandbox();
let shortTtl: Promise<BenchSandbox> | undefined;
const shortTtlSandbox = () => (shortTtl ??= startRemoteSandbox({ tokenTtl: { layer1: profile.expiry.ttlSeconds } }));

try {
  for (const scenario of selected) {
    log(`\n[${scenario.number}] ${scenario.id}`);
    const started = performance.now();
    try {
      const report = await within(scenario.run({ profile, sandbox, shortTtlSandbox, log }), profile.scenarioTimeoutMs, `scenario ${scenario.id}`);
      report.durationMs = Math.round(performance.now() - started);
      results.scenarios.push(report);
      for (const line of report.verdict) log(`  => ${line}`);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      results.failures.push({ id: scenario.id, message });
      log(`  FAILED: ${message}`);
      // Leave nothing behind for the next scenario.
      await sandbox.setSkewMs(0).catch(() => undefined);
      await sandbox.clearFaults().catch(() => undefined);
    }
  }
} finally {
  await sandbox.close();
  if (shortTtl !== undefined) await (await shortTtl).close();
}

results.durationMs = Math.round(performance.now() - t0);
const markdown = join(outDir, `RESULTS${suffix}.md`);
const json = join(outDir, `results${suffix}.json`);
await writeFile(markdown, renderMarkdown(results));
await writeFile(json, toJson(results));
const failedChecks = results.scenarios.flatMap((s) => s.checks).filter((c) => !c.pass);
log(`\nWrote ${markdown} and ${json} in ${(results.durationMs / 1000).toFixed(0)} s.`);
if (failedChecks.length > 0) log(`Targets not met: ${failedChecks.map((c) => `${c.name} (${c.detail})`).join('; ')}`);
if (results.failures.length > 0) process.exitCode = 1;
