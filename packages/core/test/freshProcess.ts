import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** Where the probe's client gets a token and makes one API call (the sandbox's Layer1 realm). */
export interface ProbeTarget {
  tokenUrl: string;
  apiUrl: string;
  clientId: string;
  clientSecret: string;
}

export interface ProbeResult {
  /** The token arrived and was still valid; the API call's status. */
  live: boolean;
  apiStatus: number;
  /** Every module file the process loaded: ESM through a load hook, CommonJS from require.cache. */
  loaded: string[];
}

// Records every URL the ESM loader loads (Node 20 runs hooks off-thread: a file is the channel).
const HOOKS = `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) { appendFileSync(process.env.FINTOKEN_LOAD_LOG, url + '\\n'); return next(url, context); }`;
const REGISTER = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(HOOKS)}`)});`;

// The same client both ways: core's built dist, as an application imports or requires it.
const BODY = `
const target = JSON.parse(process.env.FINTOKEN_PROBE);
const client = core.createProviderClient({
  provider: 'layer1', environment: 'sandbox', clientId: target.clientId, secrets: [target.clientSecret], apiUrl: target.apiUrl,
  options: { retry: false },
  fetchToken: (_request, { transport }) => core.fetchClientCredentialsToken(
    { tokenUrl: target.tokenUrl, clientId: target.clientId, clientSecret: target.clientSecret, authMethod: 'client_secret_post' }, transport),
});
const token = await client.getToken();
const api = await client.fetch('/api/v1/tenants');
await api.body?.cancel();
console.log(JSON.stringify({ live: token.expiresAt > Date.now(), apiStatus: api.status, cjs: Object.keys(requireCache) }));`;

const SCRIPTS = {
  esm: `import { createRequire } from 'node:module';
const core = await import('@fintoken/core/provider');
const requireCache = createRequire(import.meta.url).cache;
${BODY}`,
  cjs: `const core = require('@fintoken/core/provider');
const requireCache = require.cache;
(async () => {${BODY}
})().catch((error) => { console.error(error); process.exit(1); });`,
};

/**
 * A new node process (run from packages/core, so `@fintoken/core` is its built dist) that gets a
 * token and makes one `client.fetch`, then reports every module it loaded.
 */
export async function probeFreshProcess(format: 'esm' | 'cjs', target: ProbeTarget, env: Record<string, string> = {}): Promise<ProbeResult> {
  const dir = mkdtempSync(join(tmpdir(), 'fintoken-probe-'));
  const log = join(dir, 'loaded.txt');
  try {
    const args = ['--import', `data:text/javascript,${encodeURIComponent(REGISTER)}`, ...(format === 'esm' ? ['--input-type=module'] : []), '-e', SCRIPTS[format]];
    const { stdout } = await promisify(execFile)(process.execPath, args, {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      env: { PATH: process.env.PATH ?? '', FINTOKEN_PROBE: JSON.stringify(target), FINTOKEN_LOAD_LOG: log, ...env },
      timeout: 30_000,
    });
    const report = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as { live: boolean; apiStatus: number; cjs: string[] };
    // No ESM module loaded at all (a CommonJS process that loads no ESM): no log.
    const esm = (existsSync(log) ? readFileSync(log, 'utf8') : '').split('\n').filter(Boolean).map((url) => (url.startsWith('file:') ? fileURLToPath(url) : url));
    return { live: report.live, apiStatus: report.apiStatus, loaded: [...new Set([...esm, ...report.cjs])] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** core.s built kit entry for `format`, as the probe loads it (its own package, by self-reference). */
export const coreEntry = (format: 'esm' | 'cjs') => fileURLToPath(new URL(`../dist/provider.${format === 'esm' ? 'js' : 'cjs'}`, import.meta.url));

/** Files of the npm package `name` among `loaded` (pnpm's layout or a flat node_modules). */
export function filesOf(name: string, loaded: string[]): string[] {
  return loaded.filter((path) => path.includes(`/node_modules/${name}/`));
}
