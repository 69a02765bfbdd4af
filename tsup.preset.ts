import { defineConfig, type Options } from 'tsup';

/**
 * The one build every published package shares: ESM + CJS + .d.ts for Node 20, code split so
 * that entries of one package (e.g. `@fintoken/core` and `@fintoken/core/cache`) share one copy
 * of each class in both module systems.
 */
export function libraryConfig(entry: Record<string, string>, overrides: Options = {}) {
  return defineConfig({
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    splitting: true,
    treeshake: true,
    target: 'node20',
    ...overrides,
  });
}
