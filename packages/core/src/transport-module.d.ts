// The shape both `#transport` targets (http.node.ts, http.fetch.ts) export. package.json
// "imports" resolves the specifier to dist/ at run time; this declaration types it before any
// build (a tsconfig `paths` entry would also redirect bundlers such as esbuild, wrongly).
declare module '#transport' {
  export const transportRuntime: import('./http.js').TransportRuntime;
  export const httpRequest: import('./http.js').HttpExchange;
  export const platformFetch: import('./http.js').PlatformFetch;
}
