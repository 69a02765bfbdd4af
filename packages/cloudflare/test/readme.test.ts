import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as api from '../src/index.js';

// The README's wiring must match what the package exports and what the tests run.
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const fixture = readFileSync(new URL('./fixtures/worker.ts', import.meta.url), 'utf8');

describe('README', () => {
  it("names the exported class in wrangler.toml's binding and migration", () => {
    expect(readme).toContain('class_name = "FintokenTokenObject"');
    expect(readme).toContain('new_sqlite_classes = ["FintokenTokenObject"]');
    expect(typeof api.FintokenTokenObject).toBe('function');
    expect(new api.FintokenTokenObject({ storage: { get: async () => undefined, put: async () => undefined, delete: async () => false } })).toBeInstanceOf(api.FintokenTokenObject);
  });

  it('wires the store the way the tested Worker does (the one line, the re-exported class, waitUntil)', () => {
    expect(readme).toContain('store: createDurableObjectStore({ namespace: env.FINTOKEN })');
    expect(fixture).toContain('createDurableObjectStore({ namespace: env.FINTOKEN })');
    expect(readme).toContain("export { FintokenTokenObject } from '@fintoken/cloudflare';");
    expect(fixture).toMatch(/export \{ FintokenTokenObject \} from/);
    expect(readme).toContain("import { waitUntil } from 'cloudflare:workers';");
    expect(fixture).toContain("import { waitUntil } from 'cloudflare:workers';");
  });

  it('documents every option the store accepts', () => {
    for (const option of ['namespace', 'prefix', 'objectName', 'operationTimeoutMs']) expect(readme).toContain(`| \`${option}\` |`);
    expect(() => api.createDurableObjectStore({ namespace: { idFromName: String, get: () => ({ fetch: async () => Response.json({}) }) }, bogus: 1 } as never)).toThrow(/unknown option `bogus`/);
  });
});
