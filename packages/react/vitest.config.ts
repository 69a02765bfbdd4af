import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);
const dirOf = (name: string) => dirname(require.resolve(`${name}/package.json`));

/**
 * The same hook tests on React 18 and on React 19: `react` and `react-dom` (and their subpaths)
 * resolve to the `react-18`/`react-dom-18` or `react-19`/`react-dom-19` aliases, both for code
 * Vite transforms (resolve.alias) and for CommonJS that Node loads (test/support/reactVersion.ts).
 */
const project = (version: 18 | 19) => {
  const react = dirOf(`react-${version}`);
  const reactDom = dirOf(`react-dom-${version}`);
  return {
    extends: true as const,
    resolve: {
      alias: [
        { find: /^react-dom(\/.*)?$/, replacement: `${reactDom}$1` },
        { find: /^react(\/.*)?$/, replacement: `${react}$1` },
      ],
    },
    test: {
      name: `react-${version}`,
      include: ['test/**/*.test.{ts,tsx}'],
      exclude: ['test/**/*.node.test.ts'],
      environment: 'jsdom',
      env: { FINTOKEN_REACT_DIR: react, FINTOKEN_REACT_DOM_DIR: reactDom },
      setupFiles: ['test/support/reactVersion.ts'],
    },
  };
};

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 30_000,
    reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
    projects: [
      project(18),
      project(19),
      { extends: true, test: { name: 'node', include: ['test/**/*.node.test.ts'], environment: 'node' } },
    ],
  },
});
