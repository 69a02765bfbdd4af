import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (file: string) => fileURLToPath(new URL(`./src/${file}`, import.meta.url));

// `#transport` is what package.json "imports" selects by condition; the tests pin it to each
// source implementation in turn, so one contract suite proves both (README, "Runtimes").
const transports = { undici: 'http.node.ts', fetch: 'http.fetch.ts' } as const;
// Files whose tests go through the transport: they run once per transport.
const transportSuites = ['test/grant.test.ts', 'test/client.test.ts', 'test/sandbox.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 30_000,
    reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
    projects: (Object.keys(transports) as Array<keyof typeof transports>).map((name) => ({
      extends: true,
      resolve: { alias: { '#transport': src(transports[name]) } },
      test: {
        name,
        include: name === 'undici' ? ['test/**/*.test.ts'] : transportSuites,
        provide: { transport: name },
      },
    })),
  },
});
