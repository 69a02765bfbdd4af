import { startSandbox, type EndpointName, type Sandbox } from '@fintoken/sandbox';
import { afterEach, beforeEach } from 'vitest';
import { createThredfiClient, type ThredfiClient, type ThredfiClientOptions } from '../src/index.js';

export interface Thredfi {
  readonly sandbox: Sandbox;
  /** A client for the sandbox's partner; `overrides` replace any option. */
  connect(overrides?: Partial<ThredfiClientOptions>): ThredfiClient;
  /** Requests the sandbox has seen at one Thredfi endpoint. */
  seen(endpoint: EndpointName): number;
  owned(index: number): string;
  /** The injectable clock every client of this harness uses unless told otherwise. */
  clock: { ms: number; now: () => number };
}

/** Registers a fresh Thredfi-only sandbox around each test of the calling file. */
export function useThredfi(): Thredfi {
  let sandbox: Sandbox | undefined;
  const clock = { ms: 0, now: () => clock.ms };
  beforeEach(async () => {
    sandbox = await startSandbox({ providers: ['thredfi'] });
    clock.ms = Date.now();
  });
  afterEach(async () => {
    await sandbox?.close();
    sandbox = undefined;
  });
  const live = (): Sandbox => {
    if (sandbox === undefined) throw new Error('the sandbox runs only inside a test');
    return sandbox;
  };
  return {
    get sandbox() {
      return live();
    },
    connect: (overrides = {}) => createThredfiClient({ ...live().credentials.thredfi, baseUrl: live().urls.thredfi.baseUrl, now: clock.now, ...overrides }),
    seen: (endpoint) => live().stats.count(endpoint),
    owned: (index) => live().businesses.thredfi.owned[index] ?? '',
    clock,
  };
}
