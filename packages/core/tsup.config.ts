import { libraryConfig } from '../../tsup.preset.js';

// `#transport` stays an import in dist/ so that the consumer's runtime or bundler picks
// http.node (undici) or http.fetch (global fetch) through package.json "imports" conditions.
export default libraryConfig(
  { index: 'src/index.ts', cache: 'src/cache.ts', provider: 'src/provider.ts', 'http.node': 'src/http.node.ts', 'http.fetch': 'src/http.fetch.ts' },
  { external: ['#transport'] },
);
