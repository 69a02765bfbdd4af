import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// src/*.ts in tests and dist/*.js when built both sit one level below the package root.
export const publicDir = fileURLToPath(new URL('../public/', import.meta.url));

const require = createRequire(import.meta.url);

/** The built `dist/` folder of a workspace package, served whole: its ESM uses relative chunk imports. */
export const distOf = (pkg: string): string => join(dirname(require.resolve(`${pkg}/package.json`)), 'dist');
