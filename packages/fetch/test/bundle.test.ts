import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script (also runnable: `node scripts/bundle.mjs`).
import { bundleEntry } from '../scripts/bundle.mjs';

describe('browser bundle', () => {
  it.each(['index', 'tabs'])('bundles the %s entry with no Node built-in and no undici, and touches no web storage', async (entry) => {
    const { text } = (await bundleEntry(entry)) as { text: string };
    expect(text).not.toMatch(/\bnode:|undici|require\(/);
    expect(text).not.toMatch(/localStorage|sessionStorage|document\.cookie|indexedDB|caches\./);
  });
});
