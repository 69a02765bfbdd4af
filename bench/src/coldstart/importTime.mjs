// How long `await import(FINTOKEN_BENCH_IMPORT)` takes in a new node process, measured inside it
// (Node's own boot excluded). scenarios/importTime.ts runs this text with `node --input-type=module
// -e` from the directory whose node_modules the specifier resolves in (bench, or packages/core for
// fintoken's own dependencies), with plain `node`: no tsx loader charged to the row.
const specifier = process.env.FINTOKEN_BENCH_IMPORT ?? '';
const t0 = performance.now();
await import(specifier);
const t1 = performance.now();
process.stdout.write(`${JSON.stringify({ importMs: t1 - t0, maxRssKiB: process.resourceUsage().maxRSS })}\n`);
