import { defineConfig } from 'tsup';

// An app, not a library: ESM only. main.js is the CLI; server.js exports startLayerReactApp, typed,
// because the demo starts the sample alongside. The page is bundled by scripts/bundle.mjs.
export default defineConfig({
  entry: { main: 'src/main.ts', server: 'src/server.ts' },
  format: ['esm'],
  dts: { entry: { server: 'src/server.ts' } },
  sourcemap: true,
  clean: false,
  splitting: true,
  target: 'node20',
  platform: 'node',
});
