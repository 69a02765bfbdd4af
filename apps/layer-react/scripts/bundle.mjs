// Bundles the page (web/main.tsx: React 18, @layerfi/components, @fintoken/react) with esbuild
// into dist/web/app.js and app.css. esbuild alone: no dev server or plugin stack is needed to
// ship one static page.
import { readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const require = createRequire(import.meta.url);
// One React for the page: @fintoken/react (a workspace package with its own dev copy of React)
// and @layerfi/components must share this app's react and react-dom, or hooks break.
const one = (pkg) => dirname(require.resolve(`${pkg}/package.json`));

const out = fileURLToPath(new URL('../dist/web/', import.meta.url));
await rm(out, { recursive: true, force: true });
await build({
  entryPoints: { app: fileURLToPath(new URL('../web/main.tsx', import.meta.url)) },
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  jsx: 'automatic',
  minify: true,
  outdir: out,
  alias: { react: one('react'), 'react-dom': one('react-dom') },
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'error',
  // The stylesheet's @charset sits mid-file after bundling; browsers ignore it there, harmlessly.
  logOverride: { 'invalid-@charset': 'silent' },
});

// Layer's stylesheet imports the Inter font from rsms.me. The sample never reaches a third party
// from the page (no network beyond the app and the sandbox), so the import goes and the system
// font stack that follows it in the stylesheet is used.
const css = `${out}app.css`;
const text = await readFile(css, 'utf8');
await writeFile(css, text.replace(/@import\s*(url\()?["']https:\/\/rsms\.me\/[^;]*;/g, ''));
