import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script, shared with `pnpm size`.
import { bundleEntry } from '../scripts/bundle.mjs';

describe('browser bundle', () => {
  it('bundles with no Node built-in and no undici, and touches no web storage', async () => {
    const { text } = (await bundleEntry()) as { text: string };
    expect(text).not.toMatch(/\bnode:|undici|require\(/);
    expect(text).not.toMatch(/localStorage|sessionStorage|document\.cookie|indexedDB|caches\./);
  });
});
