import { decodeJwtClaims } from '@fintoken/core';
import { request } from 'undici';
import { expect } from 'vitest';
import { sessionUser } from '../support/http.js';
import type { ContractRequest, ContractSuite } from './tokenEndpoint.js';

// What the contract's groups share: the error shape, the session stand-in and counters read at the sandbox.

export const genericError = (code: string) => ({ error: { code, message: expect.any(String) } });
export const BAD_SECRET = 'wrong-secret-value-123456';

/** The session cookie of a user, next to a cookie that means nothing. */
export const cookie = (user: string) => ({ cookie: `theme=dark; sid=${user}` });

/** The signed-in user's session id, as a session middleware would resolve it (never the raw header). */
export const sessionOf = (req: ContractRequest) => /(?:^|;\s*)sid=([^;]+)/.exec(req.header('cookie') ?? '')?.[1];

/** Sign-ins: user -> the business they act for. */
export type Users = Map<string, { businessId: string }>;

/** `authorize` answering with the business id (a string) of the session's user. */
export const authorizeBusiness = (users: Users) => (req: ContractRequest) => sessionUser({ get: (name) => req.header(name) }, users)?.businessId;

/** `authorize` answering `{ businessId, subject }`: the user is named, so the rate limit counts them. */
export const authorizeIdentity = (users: Users) => (req: ContractRequest) => {
  const user = sessionOf(req);
  const entry = user === undefined ? undefined : users.get(user);
  return entry === undefined ? undefined : { businessId: entry.businessId, subject: `user:${user}` };
};

/** Requests the sandbox received for Layer business tokens: a mint each. */
export const layerMints = (suite: ContractSuite) => suite.sb.stats.count('layer.businessToken');

/** What the browser can do with the token: call Layer's API for a business. */
export async function layerBusinessStatus(suite: ContractSuite, accessToken: string, businessId: string): Promise<number> {
  const response = await request(`${suite.sb.urls.layer.apiUrl}/v1/businesses/${businessId}`, { headers: { authorization: `Bearer ${accessToken}` } });
  await response.body.dump();
  return response.statusCode;
}

/** The lifetime the provider gave the token, read from its JWT (`exp - iat`): what it was asked for. */
export function grantedSeconds(accessToken: string): number {
  const claims = decodeJwtClaims(accessToken);
  return (claims?.exp ?? Number.NaN) - (claims?.iat ?? Number.NaN);
}
