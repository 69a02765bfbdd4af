import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (file: string) => fileURLToPath(new URL(`./src/${file}`, import.meta.url));

// `#transport` is what package.json "imports" selects by condition; the tests pin it to each
// source implementation, and on Node run its two ways (README, "Runtimes"): the global fetch
// (no dispatcher, no proxy: the default) and undici (a dispatcher given, as MockAgent, a proxy or
// mTLS would be). One contract suite proves all three paths.
const paths = {
  'node-fetch': { file: 'http.node.ts', transport: 'undici' },
  'node-undici': { file: 'http.node.ts', transport: 'undici' },
  fetch: { file: 'http.fetch.ts', transport: 'fetch' },
} as const;
// Files whose tests go through the transport: they run once per path; the others once, on Node.
const transportSuites = ['test/grant.test.ts', 'test/client.test.ts', 'test/sandbox.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 30_000,
    reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
    projects: (Object.keys(paths) as Array<keyof typeof paths>).map((path) => ({
      extends: true,
      resolve: { alias: { '#transport': src(paths[path].file) } },
      test: {
        name: path,
        include: path === 'node-fetch' ? ['test/**/*.test.ts'] : transportSuites,
        provide: { transport: paths[path].transport, path },
      },
    })),
  },
});
