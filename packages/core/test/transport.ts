import { Agent } from 'undici';
import { inject } from 'vitest';
import { createRedactor, type CommonOptions, type FintokenEvent } from '../src/index.js';
import { createEmitter, type Transport } from '../src/provider.js';

let agent: Agent | undefined;

/**
 * The dispatcher this project's path needs: on `node-undici` a plain undici Agent, so that every
 * request of the contract suites goes through undici (as with MockAgent, a proxy or mTLS); none
 * on the other paths (Node's global fetch, or the fetch transport, which refuses one).
 */
export function pathDispatcher(): Agent | undefined {
  if (inject('path') !== 'node-undici') return undefined;
  agent ??= new Agent();
  return agent;
}

/** Client options for this project's path (see `pathDispatcher`). */
export function pathOptions(): Pick<CommonOptions, 'dispatcher'> {
  const dispatcher = pathDispatcher();
  return dispatcher === undefined ? {} : { dispatcher };
}

export function testTransport(overrides: Partial<Transport> = {}, events: FintokenEvent[] = [], secrets: string[] = []): Transport {
  return {
    provider: 'test',
    timeoutMs: 2_000,
    maxBodyBytes: 1024 * 1024,
    dispatcher: pathDispatcher(),
    retry: { baseDelayMs: 10, maxDelayMs: 50, deadlineMs: 5_000 },
    now: Date.now,
    redact: createRedactor(secrets),
    safetyMarginMs: 0,
    emit: createEmitter('test', (e) => events.push(e)),
    ...overrides,
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** The transport this vitest project pinned `#transport` to (vitest.config.ts). */
    transport: 'undici' | 'fetch';
    /** Which way requests go: Node's global fetch, Node through undici (a dispatcher), or the fetch transport. */
    path: 'node-fetch' | 'node-undici' | 'fetch';
  }
}
