import { afterAll, beforeAll, expect, it } from 'vitest';

/** Collects every unhandled promise rejection raised while this file's tests run. */
export interface RejectionTracker {
  readonly reasons: unknown[];
}

/**
 * Register a `process.on('unhandledRejection')` collector for the file. Call at the top of a
 * test file, and `expectNoUnhandledRejections(tracker)` at its bottom so the check runs last.
 */
export function trackUnhandledRejections(): RejectionTracker {
  const reasons: unknown[] = [];
  const collect = (reason: unknown) => {
    reasons.push(reason);
  };
  beforeAll(() => {
    process.on('unhandledRejection', collect);
  });
  afterAll(() => {
    process.off('unhandledRejection', collect);
  });
  return { reasons };
}

/** The file's last test: nothing in it left a rejected promise without a handler. */
export function expectNoUnhandledRejections(tracker: RejectionTracker): void {
  it('leaves no unhandled promise rejection behind', async () => {
    // Let late timers and background refreshes settle: a rejection surfaces one tick after it happens.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(tracker.reasons.map((r) => (r instanceof Error ? `${r.name}: ${r.message}` : String(r)))).toEqual([]);
  });
}
