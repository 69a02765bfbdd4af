import { authenticateBearer, describeBearerFailure } from '../bearer.js';
import { formType, json, mediaType, parseForm, type Reply } from '../http.js';
import type { TokenIssuer } from '../jwt.js';
import type { Mount, RequestContext } from '../router.js';
import type { SandboxBusinesses, SandboxCredentials } from '../types.js';
import { jwksRoute } from '../wellKnown.js';
import { assetError, assetErrorForStatus, validationError, type ValidationIssue } from './assetError.js';

export interface AssetOptions {
  issuer: TokenIssuer;
  credentials: SandboxCredentials['asset'];
  businesses: SandboxBusinesses['asset'];
  /** Lifetime when the request has no expires_in, seconds (seed default 3600). */
  ttl: number;
  /** Stands in for "the current host", the default audience (seed: resource). */
  baseUrl: string;
}

interface TokenRequest {
  clientId: string;
  clientSecret: string | null;
  businessId: string | null;
  expiresIn: number;
  scope: string | null;
  resources: string[];
}

// seed: resource "must be an absolute URI with no fragment" (RFC 8707 §2).
function isResourceUri(value: string): boolean {
  if (value.includes('#') || !/^[a-z][a-z0-9+.-]*:/i.test(value)) return false;
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

function parseTokenRequest(form: URLSearchParams, defaultTtl: number): TokenRequest | ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const field = (name: string): string | null => {
    const value = form.get(name);
    return value === '' ? null : value;
  };
  const clientId = field('client_id');
  if (clientId === null) issues.push({ loc: ['body', 'client_id'], msg: 'Field required', type: 'missing' });
  const grantType = field('grant_type');
  if (grantType !== null && grantType !== 'client_credentials') {
    issues.push({ loc: ['body', 'grant_type'], msg: "Input should be 'client_credentials'", type: 'enum' });
  }
  const rawExpiresIn = field('expires_in');
  let expiresIn = defaultTtl;
  if (rawExpiresIn !== null) {
    expiresIn = /^\d+$/.test(rawExpiresIn) ? Number(rawExpiresIn) : Number.NaN;
    if (!Number.isSafeInteger(expiresIn) || expiresIn <= 0) {
      issues.push({ loc: ['body', 'expires_in'], msg: 'Input should be an integer greater than 0', type: 'greater_than' });
    }
  }
  const resources = form.getAll('resource');
  resources.forEach((value, index) => {
    if (!isResourceUri(value)) {
      issues.push({ loc: ['body', 'resource', index], msg: 'Must be an absolute URI with no fragment', type: 'value_error' });
    }
  });
  if (issues.length > 0 || clientId === null) return issues;
  return {
    clientId,
    clientSecret: form.get('client_secret'),
    businessId: field('business_id'),
    expiresIn,
    scope: field('scope'),
    resources,
  };
}

/**
 * Asset: `POST /v0/auth/token` with form credentials, business_id, scope, RFC 8707 resource,
 * and an ABSOLUTE `expires_in`. Seed: asset-access-token.
 */
export function assetMounts(o: AssetOptions): Mount[] {
  const { issuer, credentials } = o;
  const allowed = new Set(o.businesses.allowed);

  async function token(ctx: RequestContext): Promise<Reply> {
    if (mediaType(ctx.req) !== formType) {
      return validationError([{ loc: ['body'], msg: `Content-Type must be ${formType}`, type: 'content_type' }]);
    }
    const request = parseTokenRequest(parseForm(await ctx.body()), o.ttl);
    if (Array.isArray(request)) return validationError(request);
    if (request.clientId !== credentials.clientId || request.clientSecret !== credentials.clientSecret) {
      return assetError(401, 'Invalid client credentials');
    }
    const { businessId } = request;
    if (businessId !== null && !allowed.has(businessId)) {
      return businessId === o.businesses.forbidden
        ? assetError(403, `Client may not act for business ${businessId}`, { business_id: businessId })
        : assetError(404, `Business ${businessId} not found`, { business_id: businessId });
    }
    const [only] = request.resources;
    const aud = request.resources.length > 1 ? request.resources : (only ?? o.baseUrl);
    const signed = await issuer.sign(
      {
        sub: credentials.clientId,
        client_id: credentials.clientId,
        aud,
        ...(businessId !== null && { business_id: businessId }),
        ...(request.scope !== null && { scope: request.scope }),
      },
      request.expiresIn,
    );
    // seed: expires_in is "The token expiration time as a unix timestamp (seconds)", not a duration.
    return json(200, { access_token: signed.token, token_type: 'Bearer', expires_in: signed.exp });
  }

  // Emulator-only: proves a business token works for its business alone.
  async function business(ctx: RequestContext): Promise<Reply> {
    const result = await authenticateBearer(ctx.req, issuer);
    if (!result.ok) return assetError(401, describeBearerFailure(result.reason));
    const { aud, business_id: tokenBusiness } = result.claims;
    // RFC 8707: a token minted for another resource is not valid here.
    if (!(Array.isArray(aud) ? aud.includes(o.baseUrl) : aud === o.baseUrl)) {
      return assetError(401, 'Token audience does not include this API');
    }
    const businessId = ctx.params.businessId as string;
    if (tokenBusiness !== businessId) {
      return assetError(403, `Token is not scoped to business ${businessId}`, { business_id: businessId });
    }
    return json(200, { id: businessId, object: 'business' });
  }

  return [
    {
      prefix: '/asset',
      error: assetErrorForStatus,
      routes: [
        { method: 'POST', path: '/v0/auth/token', endpoint: 'asset.token', noStore: true, handle: token },
        { method: 'GET', path: '/v0/businesses/:businessId', endpoint: 'asset.business', handle: business },
        jwksRoute('/.well-known/jwks.json', issuer),
      ],
    },
  ];
}
