import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { request, type Dispatcher } from 'undici';

export interface Response {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The parsed body; throws when it is not JSON. */
  json: any;
}

export interface CallOptions {
  method?: Dispatcher.HttpMethod;
  headers?: Record<string, string>;
  body?: string;
  headersTimeout?: number;
}

/** A plain undici request: no client library of ours is involved. */
export async function call(url: string, options: CallOptions = {}): Promise<Response> {
  const res = await request(url, {
    method: options.method ?? 'GET',
    headers: options.headers,
    body: options.body,
    headersTimeout: options.headersTimeout,
  });
  const text = await res.body.text();
  return {
    status: res.statusCode,
    headers: res.headers,
    text,
    get json() {
      return JSON.parse(text);
    },
  };
}

export const basic = (id: string, secret: string): string =>
  `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

export const bearer = (token: string): string => `Bearer ${token}`;

export const formHeaders = { 'Content-Type': 'application/x-www-form-urlencoded' };
export const jsonHeaders = { 'Content-Type': 'application/json' };

/** Form-urlencodes fields; an array value repeats the field. */
export function form(fields: Record<string, string | string[]>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) {
    for (const v of Array.isArray(value) ? value : [value]) params.append(key, v);
  }
  return params.toString();
}

export function postForm(url: string, fields: Record<string, string | string[]>, headers: Record<string, string> = {}) {
  return call(url, { method: 'POST', headers: { ...formHeaders, ...headers }, body: form(fields) });
}

/** Verifies a token against the JWKS the sandbox serves, as a resource server would. */
export async function verifyWithJwks(token: string, jwksUrl: string, issuer: string): Promise<JWTPayload> {
  const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(jwksUrl)), { issuer });
  return payload;
}
