// HTTPS_PROXY, HTTP_PROXY and NO_PROXY on Node, as curl and undici read them (the lowercase form
// first, an empty value unset). Node 20's global fetch ignores them, so a request that has a proxy
// to honour goes through undici's EnvHttpProxyAgent instead; one that has none never loads undici.
import type { Dispatcher } from 'undici';
import { ConfigurationError } from './errors.js';
import { loadUndici } from './undici.js';

interface Current {
  /** The variables the agent was built from: a change (a test, a reconfigured process) builds a new one. */
  key: string;
  agent: Promise<Dispatcher>;
}

let current: Current | undefined;

const read = (env: NodeJS.ProcessEnv, name: string): string => env[name.toLowerCase()] || env[name] || '';

/**
 * The dispatcher the proxy variables ask for, or undefined when neither HTTPS_PROXY nor HTTP_PROXY
 * is set. Read on every request (a few property reads): a token request is rare and the
 * variables are the process's to change. HTTPS_PROXY serves https URLs, HTTP_PROXY http URLs and
 * https ones when HTTPS_PROXY is unset; NO_PROXY lists hosts (`example.com`, `.example.com`,
 * `host:port`, `*`) that are reached directly. https targets are tunnelled (CONNECT); http targets
 * are forwarded in absolute form (RFC 9112 §3.2.2), as proxies that refuse CONNECT to port 80 expect.
 */
export function environmentProxy(env: NodeJS.ProcessEnv = process.env): Promise<Dispatcher> | undefined {
  const httpProxy = read(env, 'HTTP_PROXY');
  const httpsProxy = read(env, 'HTTPS_PROXY');
  if (httpProxy === '' && httpsProxy === '') return undefined;
  const noProxy = read(env, 'NO_PROXY');
  const key = `${httpProxy}\n${httpsProxy}\n${noProxy}`;
  if (current?.key === key) return current.agent;
  const previous = current;
  current = { key, agent: createAgent(httpProxy, httpsProxy, noProxy) };
  // Its pooled sockets belong to a proxy no longer configured; requests under way finish first.
  previous?.agent.then((agent) => agent.close(), () => undefined).catch(() => undefined);
  return current.agent;
}

async function createAgent(httpProxy: string, httpsProxy: string, noProxy: string): Promise<Dispatcher> {
  const { EnvHttpProxyAgent } = await loadUndici();
  for (const [name, value] of [['HTTP_PROXY', httpProxy], ['HTTPS_PROXY', httpsProxy]] as const) {
    // Checked here, because undici's own error quotes the URL, and a proxy URL may hold a password.
    if (value !== '' && !isProxyUrl(value)) {
      throw new ConfigurationError(`${name} (or ${name.toLowerCase()}) is not an http(s) proxy URL such as http://proxy.internal:3128`);
    }
  }
  // Explicit values (empty = none): the agent then reads nothing from process.env itself.
  return new EnvHttpProxyAgent({ httpProxy, httpsProxy, noProxy, proxyTunnel: false, keepAliveTimeout: 10_000, keepAliveMaxTimeout: 60_000 });
}

function isProxyUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}
