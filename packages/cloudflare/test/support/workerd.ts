import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';

const fixture = fileURLToPath(new URL('../fixtures/worker.ts', import.meta.url));

/**
 * `entry` bundled the way wrangler bundles a Worker for workerd: ESM, the `workerd`/`worker`/
 * `browser` export conditions, no Node platform and no `nodejs_compat`, so a Node built-in
 * anywhere in the graph fails the bundle or the Worker's start. The packages are bundled as npm
 * ships them: no tsconfig.json (esbuild would otherwise apply each workspace package's tsconfig
 * `paths`, e.g. core's type-checking alias for `#transport`). `cloudflare:workers`, the runtime's
 * own module, is left as wrangler leaves it. Also used by apps/runtimes' workerd contract test.
 */
export async function bundleForWorkerd(entry: string): Promise<string> {
  const outdir = await mkdtemp(join(tmpdir(), 'fintoken-worker-'));
  try {
    await build({
      entryPoints: [entry],
      outfile: join(outdir, 'worker.js'),
      bundle: true,
      format: 'esm',
      platform: 'neutral',
      target: 'es2022',
      conditions: ['workerd', 'worker', 'browser'],
      mainFields: ['browser', 'module', 'main'],
      tsconfigRaw: {},
      external: ['cloudflare:workers'],
      logLevel: 'silent',
    });
    return await readFile(join(outdir, 'worker.js'), 'utf8');
  } finally {
    await rm(outdir, { recursive: true, force: true });
  }
}

let bundled: Promise<string> | undefined;

/** The fixture Worker, bundled once per test process. */
export function workerScript(): Promise<string> {
  bundled ??= bundleForWorkerd(fixture);
  return bundled;
}

export interface EdgeFleet {
  mf: Miniflare;
  /** The Worker names: `host` (which hosts the object class) and `edge-1` … `edge-N`. */
  names: string[];
  /** One request to one Worker; the answer's JSON. */
  get(worker: string, path: string): Promise<{ status: number; body: Record<string, unknown> }>;
  /** A raw operation to the object named `name`, through the host Worker; the answer's status and text. */
  raw(op: string, body: string | undefined, name: string, method?: string): Promise<{ status: number; text: string }>;
  close(): Promise<void>;
}

export interface EdgeFleetOptions {
  bindings: Record<string, string>;
  /** Workers bound to the object besides `host`. */
  workers: number;
  /** A directory for the objects' storage: a second fleet on it finds what the first stored. */
  persist?: string;
}

/**
 * Several Workers in one workerd (miniflare 4), each its own isolate with its own module state
 * (its own fintoken client and memory cache), all bound to one Durable Object namespace whose
 * class lives in the `host` Worker: what a deploy of several Workers sharing a namespace is.
 */
export async function startEdgeFleet(options: EdgeFleetOptions): Promise<EdgeFleet> {
  const script = await workerScript();
  const names = ['host', ...Array.from({ length: options.workers }, (_, i) => `edge-${i + 1}`)];
  const mf = new Miniflare({
    host: '127.0.0.1',
    port: 0,
    ...(options.persist === undefined ? {} : { durableObjectsPersist: options.persist }),
    workers: names.map((name) => ({
      name,
      modules: true,
      script,
      compatibilityDate: '2025-09-01',
      bindings: options.bindings,
      durableObjects: { FINTOKEN: name === 'host' ? 'FintokenTokenObject' : { className: 'FintokenTokenObject', scriptName: 'host' } },
    })),
  });
  await mf.ready;
  // A Worker's fetcher, as miniflare hands it out (its own undici Request/Response types).
  type WorkerFetcher = { fetch(url: string, init?: { method?: string; body?: string }): Promise<{ status: number; json(): Promise<unknown>; text(): Promise<string> }> };
  const workers = new Map<string, WorkerFetcher>();
  for (const n of names) workers.set(n, (await mf.getWorker(n)) as unknown as WorkerFetcher);
  return {
    mf,
    names,
    async get(worker, path) {
      const w = workers.get(worker);
      if (w === undefined) throw new Error(`no worker ${worker}`);
      const res = await w.fetch(`http://fintoken.test${path}`);
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    },
    async raw(op, body, name, method = 'POST') {
      const w = workers.get('host');
      if (w === undefined) throw new Error('no host worker');
      const res = await w.fetch(`http://fintoken.test/object/${op}?name=${encodeURIComponent(name)}`, { method, ...(body === undefined ? {} : { body }) });
      return { status: res.status, text: await res.text() };
    },
    close: () => mf.dispose(),
  };
}

export const tempDir = () => mkdtemp(join(tmpdir(), 'fintoken-do-'));
