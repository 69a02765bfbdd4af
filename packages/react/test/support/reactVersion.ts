import Module from 'node:module';

// CommonJS loaded by Node (react-dom, @testing-library/react) asks for `react`/`react-dom` by
// name; pnpm links one React beside each react-dom alias, so steer those names to the version
// this vitest project tests. ESM that Vite transforms is steered by resolve.alias instead.
const dirs: Record<string, string | undefined> = {
  react: process.env.FINTOKEN_REACT_DIR,
  'react-dom': process.env.FINTOKEN_REACT_DOM_DIR,
};
const resolver = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
const original = resolver._resolveFilename;
resolver._resolveFilename = function (request, ...rest) {
  const match = /^(react|react-dom)(\/.*)?$/.exec(request);
  const dir = match && dirs[match[1]!];
  return original.call(this, dir ? `${dir}${match[2] ?? ''}` : request, ...rest);
};
