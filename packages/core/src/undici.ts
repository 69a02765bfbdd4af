// The undici package, loaded on first need only. Node's global fetch (itself undici, built into
// the binary) carries every request that needs nothing more; the package is imported when a
// request needs one of its dispatchers: a `dispatcher` option (MockAgent, ProxyAgent, an mTLS
// Agent) or a proxy from the environment (proxyEnv.ts). A process that needs neither never loads
// it, which is most of a serverless cold start's module time (bench: cold-start).
import type * as Undici from 'undici';
import { ConfigurationError } from './errors.js';

let loading: Promise<typeof Undici> | undefined;

/** The undici module, imported once; a failed import is retried on the next need. */
export function loadUndici(): Promise<typeof Undici> {
  loading ??= import('undici').catch(() => {
    loading = undefined;
    throw new ConfigurationError('A dispatcher or a proxy needs the undici package, which could not be loaded (is it installed?)');
  });
  return loading;
}
