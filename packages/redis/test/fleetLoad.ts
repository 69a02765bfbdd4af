import { expect } from 'vitest';
import type { Instance } from './fleet.js';

/** What one instance's `load` run reports (test/fixtures/fleet-instance.mjs). */
export interface LoadStats {
  calls: number;
  failed: number;
  expired: number;
  errors: string[];
  /** The instance's events during the run (cache hits left out), for a failing test's message. */
  events: Array<{ type: string; reason?: string; message?: string; at: number }>;
}

/** Epoch ms of every token request each instance made, in order (the fixture's `fetching` messages). */
export function recordFetches(fleet: Instance[]): number[][] {
  return fleet.map((instance) => {
    const at: number[] = [];
    instance.child.on('message', (m: { type: string; at?: number }) => {
      if (m.type === 'fetching') at.push(m.at ?? 0);
    });
    return at;
  });
}

/** `callers` getToken() loops on every instance for `durationMs`; resolves with each instance's stats. */
export function startLoad(fleet: Instance[], callers: number, durationMs: number): Promise<LoadStats[]> {
  return Promise.all(
    fleet.map((i) => {
      i.send({ type: 'load', concurrency: callers, durationMs });
      return i.next('loaded', durationMs + 30_000) as Promise<unknown> as Promise<LoadStats>;
    }),
  );
}

/** The definition of surviving a failover: no failed call, no expired token, every instance busy. */
export function expectNoFailure(stats: LoadStats[], callers: number): void {
  for (const s of stats) {
    expect(s.errors).toEqual([]);
    expect(s.failed).toBe(0);
    expect(s.expired).toBe(0);
    expect(s.calls).toBeGreaterThan(callers);
  }
}

/**
 * Token requests the fleet makes when it shares one per refresh: with the default policy a token
 * of `ttlMs` is refreshed once half of it has passed, so a run of `durationMs` sees at most one
 * request per half-lifetime, plus the first.
 */
export function sharedRequests(durationMs: number, ttlMs: number): number {
  return Math.ceil(durationMs / (ttlMs / 2)) + 1;
}

/** Requests of the whole fleet inside [from, to). */
export function requestsBetween(fetches: number[][], from: number, to: number): number {
  return fetches.flat().filter((at) => at >= from && at < to).length;
}
