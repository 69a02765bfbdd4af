import { createRedactor, type FintokenEvent } from '../src/index.js';
import { createEmitter, type Transport } from '../src/provider.js';

export function testTransport(overrides: Partial<Transport> = {}, events: FintokenEvent[] = [], secrets: string[] = []): Transport {
  return {
    provider: 'test',
    timeoutMs: 2_000,
    maxBodyBytes: 1024 * 1024,
    dispatcher: undefined,
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
  }
}
