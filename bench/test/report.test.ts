import { describe, expect, it } from 'vitest';
import { renderMarkdown, renderTable, toJson, type BenchResults } from '../src/report.js';
import { lowerIsBetter } from '../src/util/compare.js';
import { ms, times } from '../src/util/format.js';
import { median, quantile, ratio } from '../src/util/stats.js';

const results: BenchResults = {
  profile: 'full',
  machine: { cpu: 'Test CPU', cores: 2, memoryGiB: 4, node: 'v20.0.0', os: 'Linux 6 (linux/x64)', date: '2025-01-01T00:00:00.000Z' },
  startedAt: '2025-01-01T00:00:00.000Z',
  durationMs: 1234,
  scenarios: [
    {
      id: 'cold-cache',
      title: '1. Cold cache',
      what: ['What it measures.'],
      tables: [{ headers: ['library', 'requests'], rows: [['fintoken', '1'], ['a | b', '10']] }],
      verdict: ['fintoken loses on X.'],
      losses: ['fintoken loses on X.'],
      checks: [
        { name: 'exactly one', pass: true, detail: '1' },
        { name: 'fast enough', pass: false, detail: '2x' },
      ],
      data: { raw: [1, 2, 3] },
    },
  ],
  failures: [{ id: 'fleet', message: 'Redis not reachable' }],
};

describe('report', () => {
  it('renders machine, targets, failures, tables and verdicts', () => {
    const md = renderMarkdown(results);
    expect(md).toContain('| Test CPU | 2 | 4 GiB | v20.0.0 |');
    expect(md).toContain('| exactly one | met | 1 |');
    expect(md).toContain('| fast enough | **NOT met** | 2x |');
    expect(md).toContain('**fleet**: Redis not reachable');
    expect(md).toContain('## 1. Cold cache');
    expect(md).toContain('- fintoken loses on X.');
    expect(md).toContain('- **1. Cold cache**: fintoken loses on X.');
  });

  it('escapes pipes inside table cells', () => {
    expect(renderTable({ headers: ['h'], rows: [['a | b']] })).toContain('a \\| b');
  });

  it('writes raw numbers and checks to JSON, without the formatted tables', () => {
    const json = JSON.parse(toJson(results));
    expect(json.scenarios[0].data).toEqual({ raw: [1, 2, 3] });
    expect(json.scenarios[0].tables).toBeUndefined();
    expect(json.checks).toHaveLength(2);
  });
});

describe('statistics and formatting', () => {
  it('computes medians and interpolated quantiles', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([1, 2, 3, 4])).toBe(2.5);
    expect(quantile([0, 10], 0.99)).toBeCloseTo(9.9);
    expect(Number.isNaN(median([]))).toBe(true);
  });

  it('gives NaN ratios instead of Infinity', () => {
    expect(ratio(1, 0)).toBeNaN();
    expect(times(ratio(3, 2))).toBe('1.50x');
  });

  it('shows sub-millisecond latencies in microseconds', () => {
    expect(ms(0.0123)).toBe('12 µs');
    expect(ms(12.34)).toBe('12.3 ms');
  });

  it('calls differences under 10 % a tie', () => {
    expect(lowerIsBetter(100, 105)).toBe('tie');
    expect(lowerIsBetter(100, 200)).toBe('win');
    expect(lowerIsBetter(200, 100)).toBe('loss');
  });
});

describe('cold-start, memory and bundle verdicts', async () => {
  const { reportColdStart } = await import('../src/scenarios/coldStart.js');
  const { reportWorkerBundle } = await import('../src/scenarios/workerBundle.js');
  const side = (wallMs: number, rss: number) => ({ wallMs: [wallMs, wallMs], maxRssMiB: [rss, rss], importMs: [1, 1], tokenMs: [1, 1] });

  it('holds each provider to 1.35x oauth4webapi and +10 MiB, and lists a miss as a loss', () => {
    const report = reportColdStart(
      [
        { provider: 'layer', fintoken: side(130, 60), oauth4webapi: side(100, 55) },
        { provider: 'layer1', fintoken: side(140, 66), oauth4webapi: side(100, 55) },
      ],
      { pairs: 2 },
    );
    expect(report.checks.map((c) => c.pass)).toEqual([true, true, false, false]);
    expect(report.losses.join(' ')).toContain('@fintoken/layer1');
  });

  it('holds each provider client to 2x the whole of oauth4webapi, min + gz', () => {
    const row = (name: string, gzipBytes: number, group: 'fintoken' | 'oauth4webapi', reference = false) => ({ name, group, reference, minBytes: gzipBytes * 3, gzipBytes, byPackage: { zod: gzipBytes } });
    const report = reportWorkerBundle([row('createLayerClient', 28_000, 'fintoken'), row('createLayer1Client', 30_000, 'fintoken'), row('oauth4webapi (whole library)', 14_500, 'oauth4webapi', true)]);
    expect(report.checks.map((c) => c.pass)).toEqual([true, false]);
    expect(report.losses).toHaveLength(1);
  });
});
