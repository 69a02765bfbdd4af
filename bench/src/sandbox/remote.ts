import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';
import type { BenchSandbox, BenchSandboxOptions, SandboxInfo } from './types.js';
import { stopChild } from '../util/child.js';

const childFile = fileURLToPath(new URL('./child.ts', import.meta.url));
const benchDir = fileURLToPath(new URL('../..', import.meta.url));

/**
 * A sandbox in its own process, controlled through its admin HTTP API. The benchmark runs this
 * one: on a 2-core machine the provider then has a core of its own, as a real provider would.
 */
export async function startRemoteSandbox(options: BenchSandboxOptions = {}): Promise<BenchSandbox> {
  const child = fork(childFile, [JSON.stringify(options)], {
    cwd: benchDir,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const info = await new Promise<SandboxInfo>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('The sandbox child did not start within 30 s')), 30_000);
    child.once('message', (message: { type: string; info: SandboxInfo }) => {
      clearTimeout(timer);
      resolve(message.info);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The sandbox child exited early (code ${code})`));
    });
  });
  // A pool of its own, so admin calls never queue behind the load under test.
  const agent = new Agent({ connections: 4 });
  const send = (method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown) =>
    request(`${info.admin}${path}`, {
      method,
      dispatcher: agent,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const admin = async (method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<unknown> => {
    // Under a 10,000-request load the sandbox may close an idle keep-alive socket just as the
    // pool reuses it ("other side closed", before anything was sent): one retry on a new socket.
    const response = await send(method, path, body).catch((error: { code?: string }) => {
      if (error.code !== 'UND_ERR_SOCKET') throw error;
      return send(method, path, body);
    });
    const json = (await response.body.json()) as unknown;
    if (response.statusCode >= 400) throw new Error(`sandbox admin ${method} ${path}: ${response.statusCode} ${JSON.stringify(json)}`);
    return json;
  };
  return {
    ...info,
    count: async (endpoint) => ((await admin('GET', '/stats')) as Record<string, number>)[endpoint] ?? 0,
    reset: async () => void (await admin('POST', '/stats/reset')),
    setSkewMs: async (skewMs) => void (await admin('POST', '/clock', { skewMs })),
    // JSON has no Infinity: the admin API reads times -1 as "until cleared".
    inject: async (endpoint, fault) => {
      const revive = (f: { times?: number }) => (f.times === Number.POSITIVE_INFINITY ? { ...f, times: -1 } : f);
      await admin('POST', '/faults', { endpoint, fault: Array.isArray(fault) ? fault.map(revive) : revive(fault) });
    },
    clearFaults: async () => void (await admin('DELETE', '/faults')),
    close: async () => {
      await agent.close();
      await stopChild(child);
    },
  };
}
