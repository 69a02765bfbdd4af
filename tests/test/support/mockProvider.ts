import { MockAgent } from 'undici';

/** A request the mock provider received. */
export interface MockRequest {
  origin: string;
  path: string;
  method: string;
  headers: Record<string, string>;
  body: string;
}

/** What it answers: a JSON value (serialised) or raw text, a status and headers. */
export interface MockReply {
  status: number;
  json?: unknown;
  raw?: string;
  headers?: Record<string, string>;
}

export type MockHandler = (request: MockRequest) => MockReply;

/**
 * An undici `MockAgent` answering every path of the given origins through one replaceable
 * handler, recording each request: for the states a real server can't easily produce (any
 * body at all, a provider echoing secrets back).
 */
export interface MockProvider {
  agent: MockAgent;
  requests: MockRequest[];
  handler: MockHandler;
}

function headersOf(raw: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (raw === undefined || raw === null) return out;
  if (Array.isArray(raw)) {
    for (let i = 0; i + 1 < raw.length; i += 2) out[String(raw[i]).toLowerCase()] = String(raw[i + 1]);
  } else if (typeof (raw as Headers).forEach === 'function' && raw instanceof Headers) {
    raw.forEach((value, name) => (out[name.toLowerCase()] = value));
  } else {
    for (const [name, value] of Object.entries(raw as Record<string, unknown>)) out[name.toLowerCase()] = String(value);
  }
  return out;
}

function bodyOf(raw: unknown): string {
  if (raw === undefined || raw === null) return '';
  if (typeof raw === 'string') return raw;
  if (Buffer.isBuffer(raw) || raw instanceof Uint8Array) return Buffer.from(raw).toString('utf8');
  return String(raw);
}

export function createMockProvider(origins: string[], handler: MockHandler): MockProvider {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const provider: MockProvider = { agent, requests: [], handler };
  for (const origin of origins) {
    agent
      .get(origin)
      .intercept({ path: () => true, method: () => true })
      .reply((opts) => {
        const request: MockRequest = { origin, path: opts.path, method: opts.method, headers: headersOf(opts.headers), body: bodyOf(opts.body) };
        provider.requests.push(request);
        const reply = provider.handler(request);
        const isJson = reply.raw === undefined;
        const data = isJson ? JSON.stringify(reply.json ?? null) : reply.raw!;
        return {
          statusCode: reply.status,
          data,
          responseOptions: { headers: { ...(isJson ? { 'content-type': 'application/json' } : {}), ...reply.headers } },
        };
      })
      .persist();
  }
  return provider;
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** An unsigned JWT-shaped string: what `decodeJwtClaims` reads (never verified by fintoken). */
export function fakeJwt(claims: Record<string, unknown>): string {
  return `${b64url({ alg: 'ES256', typ: 'JWT' })}.${b64url(claims)}.${Buffer.from('not-a-signature').toString('base64url')}`;
}
