import { inspect } from 'node:util';
import { expect } from 'vitest';

/** A value that must never be seen outside the library, under a name safe to print. */
export interface Canary {
  label: string;
  value: string;
}

/**
 * Every way a secret might travel when a provider echoes a request back: verbatim, URI- or
 * form-encoded (the body of a `client_secret_post` request), and inside the base64 of a Basic
 * credential (`id:secret`, RFC 7617). Too-short encodings are skipped (they would match by chance).
 */
export function secretForms(label: string, secret: string, basicUser?: string): Canary[] {
  const forms: Canary[] = [{ label, value: secret }];
  const uri = encodeURIComponent(secret);
  if (uri !== secret) forms.push({ label: `${label} (URI-encoded)`, value: uri });
  const form = new URLSearchParams({ x: secret }).toString().slice(2);
  if (form !== secret && form !== uri) forms.push({ label: `${label} (form-encoded)`, value: form });
  if (basicUser !== undefined) {
    forms.push({ label: `${label} (Basic credential)`, value: Buffer.from(`${basicUser}:${secret}`).toString('base64') });
  }
  return forms.filter((c) => c.value.length >= 6);
}

/** The texts a value shows to a logger: message, stack, util.inspect, JSON, String, and its cause chain. */
export function renderings(value: unknown, depth = 0): string[] {
  if (typeof value === 'string') return [value];
  const out: string[] = [];
  const attempt = (render: () => string | undefined) => {
    try {
      const text = render();
      if (text !== undefined) out.push(text);
    } catch (error) {
      out.push(`<render failed: ${(error as Error).name}>`);
    }
  };
  attempt(() => inspect(value, { depth: 12, showHidden: true }));
  attempt(() => inspect(value, { depth: 12 }));
  attempt(() => JSON.stringify(value));
  attempt(() => String(value));
  if (value instanceof Error) {
    out.push(value.message, value.stack ?? '');
    if (value.cause !== undefined && depth < 5) out.push(...renderings(value.cause, depth + 1));
  }
  return out;
}

/** Scans everything it is shown for a set of canaries and remembers where each was found. */
export class LeakScanner {
  readonly canaries: Canary[] = [];
  readonly findings: string[] = [];
  scanned = 0;

  add(...canaries: Canary[]): this {
    for (const c of canaries) if (!this.canaries.some((k) => k.value === c.value)) this.canaries.push(c);
    return this;
  }

  /** Labels of the canaries present in `text`. */
  find(text: string): string[] {
    return this.canaries.filter((c) => text.includes(c.value)).map((c) => c.label);
  }

  /** Scan every rendering of `value`; `where` names it in the report. */
  scan(where: string, value: unknown): void {
    this.scanned += 1;
    for (const text of renderings(value)) {
      for (const label of this.find(text)) {
        const finding = `${label} in ${where}`;
        if (!this.findings.includes(finding)) this.findings.push(finding);
      }
    }
  }

  expectClean(): void {
    expect(this.canaries.length, 'canaries were planted').toBeGreaterThan(0);
    expect(this.findings).toEqual([]);
  }
}
