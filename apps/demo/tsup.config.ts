import { defineConfig } from 'tsup';

// An app, not a library: ESM only, no type declarations. main.js is the CLI, server.js exports startDemo.
export default defineConfig({
  entry: { main: 'src/main.ts', server: 'src/server.ts' },
  format: ['esm'],
  dts: false,
  sourcemap: true,
  clean: true,
  splitting: true,
  target: 'node20',
  platform: 'node',
});
