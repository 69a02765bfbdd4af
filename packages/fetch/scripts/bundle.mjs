import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

/**
 * One entry of the package (`index` or `tabs`) as a browser app ships it: that ESM entry and everything it pulls from
 * @fintoken/core/cache, bundled and minified by esbuild, then gzipped (level 9).
 * `platform: 'neutral'` resolves no Node built-in, so a stray `node:` import fails the build.
 */
export async function bundleEntry(entry = 'index') {
  const result = await build({
    entryPoints: [fileURLToPath(new URL(`../src/${entry}.ts`, import.meta.url))],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  const bytes = result.outputFiles[0].contents;
  return { text: result.outputFiles[0].text, minified: bytes.length, gzipped: gzipSync(bytes, { level: 9 }).length };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const entry of ['index', 'tabs']) {
    const { minified, gzipped } = await bundleEntry(entry);
    console.log(`@fintoken/fetch ${entry} entry, whole: ${minified} B minified, ${gzipped} B minified + gzipped (budgets: pnpm size)`);
  }
}
