// The option schemas provider packages build theirs from, so that a URL, a secret, a UUID, a
// scope or a resource indicator means the same thing and fails the same way in every provider.
import * as z from 'zod/mini';
import type { CredentialInput } from './credential.js';
import { isUuid } from './uuid.js';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** True for loopback hosts (localhost, 127.0.0.0/8, ::1), where plain http is acceptable. */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK.has(hostname) || /^127\.\d+\.\d+\.\d+$/.test(hostname) || hostname.endsWith('.localhost');
}

/** Whether the factory's input opted in to plain http beyond loopback (`allowInsecureHttp: true`). */
export function insecureHttpAllowed(input: unknown): boolean {
  return (input as { allowInsecureHttp?: unknown } | null | undefined)?.allowInsecureHttp === true;
}

/**
 * A URL option: absolute http(s), no credentials or fragment, and https unless the host is
 * loopback or `allowHttp` (the factory's `allowInsecureHttp`) says otherwise: a token, a secret
 * or a key must never cross the network in clear by default.
 */
export function urlOption(options: { allowHttp?: boolean } = {}) {
  return z.string().check(
    z.superRefine((value, ctx) => {
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be an absolute URL' });
        return;
      }
      if (url.protocol !== 'https:' && url.protocol !== 'http:') ctx.addIssue({ code: 'custom', message: 'must be an http(s) URL' });
      else if (url.protocol === 'http:' && options.allowHttp !== true && !isLoopbackHost(url.hostname)) {
        ctx.addIssue({ code: 'custom', message: 'must use https (plain http is only accepted for loopback hosts, or with allowInsecureHttp: true)' });
      }
      if (url.username !== '' || url.password !== '') ctx.addIssue({ code: 'custom', message: 'must not contain credentials' });
      if (url.hash !== '') ctx.addIssue({ code: 'custom', message: 'must not contain a fragment' });
    }),
  );
}

/** A non-empty string: an id the provider issued. */
export const idOption = () => z.string().check(z.minLength(1, 'must not be empty'));

/**
 * A secret (client secret, API key): a non-empty string, or a function returning one (sync or
 * async), read on first use and again after the provider refuses it (see `createCredential`).
 */
export const secretOption = () =>
  z.union([
    z.string().check(z.minLength(1, 'must not be empty')),
    z.custom<() => string | Promise<string>>((v) => typeof v === 'function', { error: 'must be a string or a function returning one' }),
  ]) as z.ZodMiniType<CredentialInput<string>>;

/** A UUID (`isUuid`: RFC 9562 §4 layout, any version and variant). */
export const uuidOption = (message = 'must be a UUID') => z.string().check(z.refine(isUuid, message));

/** One of a provider's environments; the message lists them. */
export const environmentOption = <const E extends readonly [string, ...string[]]>(names: E) =>
  z.enum(names, {
    error: (issue) => (issue.input === undefined ? 'is required' : `must be ${names.map((n) => `'${n}'`).join(' or ')}`),
  });

// RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ), separated by single spaces.
const SCOPE_TOKENS = /^[\x21\x23-\x5b\x5d-\x7e]+(?:\s+[\x21\x23-\x5b\x5d-\x7e]+)*$/;

/** A scope value: one or more RFC 6749 §3.3 scope tokens, whitespace-separated. */
export function isScopeValue(value: string): boolean {
  return SCOPE_TOKENS.test(value.trim());
}

/**
 * RFC 8707 §2: a resource indicator "MUST be an absolute URI" and "MUST NOT include a fragment
 * component".
 */
export function isResourceIndicator(value: string): boolean {
  // RFC 3986 §3.1 scheme, then something; raw whitespace is never part of a URI.
  if (!/^[a-z][a-z0-9+.-]*:\S+$/i.test(value) || value.includes('#')) return false;
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

const stringOrList = () => z.union([z.string(), z.array(z.string())]);

/** `scope`: a space-separated string or a list of RFC 6749 §3.3 scope tokens. */
export const scopeOption = () =>
  stringOrList().check(
    z.superRefine((value, ctx) => {
      for (const item of Array.isArray(value) ? value : [value]) {
        if (item.trim() !== '' && !isScopeValue(item)) {
          ctx.addIssue({ code: 'custom', message: 'must be RFC 6749 §3.3 scope tokens (printable ASCII, no quotes or backslashes)' });
          return;
        }
      }
    }),
  );

/** `resource`: one or more RFC 8707 resource indicators. */
export const resourceOption = () =>
  stringOrList().check(
    z.superRefine((value, ctx) => {
      const items = Array.isArray(value) ? value : [value];
      items.forEach((item, index) => {
        if (!isResourceIndicator(item)) {
          ctx.addIssue({ code: 'custom', path: Array.isArray(value) ? [index] : [], message: 'must be an absolute URI without a fragment (RFC 8707 §2)' });
        }
      });
    }),
  );
