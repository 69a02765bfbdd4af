import { libraryConfig } from '../../tsup.preset.js';

// `#transport` stays an import in dist/ so that the consumer's runtime or bundler picks
// http.node (Node) or http.fetch (global fetch) through package.json "imports" conditions.
// undici is loaded on first need (src/undici.ts): `import()` in the ESM build, `require()` in the
// CJS build, so CommonJS hosts without ESM support in their module sandbox (Jest's vm) load it too.
export default libraryConfig(
  { index: 'src/index.ts', cache: 'src/cache.ts', provider: 'src/provider.ts', schema: 'src/schema.ts', 'http.node': 'src/http.node.ts', 'http.fetch': 'src/http.fetch.ts' },
  {
    external: ['#transport'],
    // zod is bundled (tree-shaken) rather than imported at run time: see src/schema.ts.
    noExternal: ['zod'],
    esbuildOptions(options, { format }) {
      if (format === 'cjs') options.supported = { ...options.supported, 'dynamic-import': false };
    },
  },
);
