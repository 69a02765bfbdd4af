import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeBinary, packageDir, repoRoot } from './support/binaries.js';
import { run } from './support/child.js';
import { nodeMajors, providerSuites } from './support/runtimeTable.js';


interface VitestJson {
  success: boolean;
  numPassedTests: number;
  numFailedTests: number;
  testResults: { name: string; status: string; message?: string; assertionResults: { fullName: string; status: string; failureMessages: string[] }[] }[];
}

let resultsDir: string;
beforeAll(async () => {
  resultsDir = await mkdtemp(join(tmpdir(), 'fintoken-node-versions-'));
});
afterAll(async () => {
  await rm(resultsDir, { recursive: true, force: true });
});

// The machine's Node 20 runs these suites in the packages' own `test` scripts; here they run again
// under the Node 22 and 24 binaries from npm. One test per suite and Node: its count in the root
// summary is one, whatever the suite's size.
// One suite at a time: the suites' refresh-ahead tests wait on background work, and a loaded
// machine is no place to prove a Node version.
for (const major of nodeMajors) {
  describe(`Node ${major}`, () => {
    for (const suite of providerSuites) {
      it(`@fintoken/${suite}: its test suite passes`, async () => {
        const node = nodeBinary(major);
        const results = join(resultsDir, `${suite}-${major}.json`);
        const { code, output } = await run(
          node,
          [join(repoRoot, 'node_modules/vitest/vitest.mjs'), 'run', '--config', join(packageDir, 'providers.vitest.config.ts')],
          { cwd: join(repoRoot, 'packages', suite), env: { FINTOKEN_SUITE_ROOT: join(repoRoot, 'packages', suite), FINTOKEN_SUITE_RESULTS: results }, timeoutMs: 180_000 },
        );
        const version = (await run(node, ['--version'], { cwd: packageDir, timeoutMs: 10_000 })).output.trim();
        expect(version).toMatch(new RegExp(`^v${major}\\.`));
        const report = JSON.parse(await readFile(results, 'utf8').catch(() => 'null')) as VitestJson | null;
        // A file that failed to load has no assertion results, only a message: report both kinds.
        const failed = report?.testResults.flatMap((file) => [
          ...(file.status === 'failed' && file.message ? [`${file.name}: ${file.message.slice(0, 1500)}`] : []),
          ...file.assertionResults.filter((test) => test.status === 'failed').map((test) => `${test.fullName}: ${test.failureMessages.join('\n').slice(0, 1500)}`),
        ]);
        expect(report, `no results from Node ${major}:\n${output.slice(-3000)}`).not.toBeNull();
        expect(failed).toEqual([]);
        expect(report!.numPassedTests).toBeGreaterThan(0);
        expect(report!.success && code === 0, output.slice(-3000)).toBe(true);
      }, 200_000);
    }
  });
}
