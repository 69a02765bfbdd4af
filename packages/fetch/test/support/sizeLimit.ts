import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

export interface SizeCheck {
  name: string;
  passed: boolean;
  /** Bytes, minified (esbuild) and gzipped (level 9), less size-limit's empty-bundle baseline. */
  size: number;
  /** The budget, when the check has one. */
  sizeLimit?: number;
}

/**
 * Run size-limit 12 (`@size-limit/esbuild` + `@size-limit/file`) over the package's
 * `.size-limit.json`, as `npx size-limit` would; resolves with every check, passed or not.
 */
export async function runSizeLimit(packageDir: string): Promise<SizeCheck[]> {
  const require = createRequire(join(packageDir, 'package.json'));
  const bin = join(dirname(require.resolve('size-limit/package.json')), 'bin.js');
  const { stdout } = await promisify(execFile)(process.execPath, [bin, '--json'], { cwd: packageDir }).catch(
    // size-limit exits 1 when a check is over its limit; its JSON still says which.
    (error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }),
  );
  return JSON.parse(stdout) as SizeCheck[];
}
