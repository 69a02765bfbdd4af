import { AuthenticationError, InvalidRequestError, ProviderError } from '@fintoken/core';
import { describe, expect, it } from 'vitest';
import { useThredfi } from './harness.js';

// seeds/thredfi-business-scoped-token.md: Step 1 (partner token), Step 2 (business token), errors.
const t = useThredfi();

describe('partner token: POST /v1/platform/oauth2/token/ with Basic partner_uuid:api_key', () => {
  it('is a long-lived Bearer without a business', async () => {
    const partner = await t.connect().getToken();
    expect(partner).toMatchObject({ tokenType: 'Bearer' });
    expect(partner.businessId).toBeUndefined();
    // seed: "Partner token is long-lived (typically 24 hours)".
    expect(partner.expiresAt - t.clock.ms).toBeGreaterThan(23 * 3600_000);
    expect(t.seen('thredfi.token')).toBe(1);
  });

  it('answers 401 invalid_client to a bad API key: AuthenticationError', async () => {
    const rejected = await t.connect({ apiKey: 'sk_test_wrong' }).getToken().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(rejected).toBeInstanceOf(AuthenticationError);
    expect(rejected).toMatchObject({ status: 401, providerCode: 'invalid_client', provider: 'thredfi' });
  });
});

describe('business token: POST /v1/platform/{business_id}/oauth2/token/ with the partner Bearer', () => {
  it('carries business_id and the business_access scope', async () => {
    const id = t.owned(0);
    const business = await t.connect().getBusinessToken(id);
    expect(business.businessId).toBe(id);
    expect(business.scope).toEqual(['business_access']);
    expect(business.expiresAt - t.clock.ms).toBeGreaterThan(3500_000);
    expect([t.seen('thredfi.token'), t.seen('thredfi.businessToken')]).toEqual([1, 1]);
  });

  it.each([
    ['owned by another partner', (s: { businesses: { thredfi: { foreign: string } } }) => s.businesses.thredfi.foreign],
    ['unknown', () => '00000000-0000-4000-8000-000000000000'],
  ])('answers 404 not_found for a business %s: ProviderError', async (_what, pick) => {
    const outcome = await t.connect().getToken({ businessId: pick(t.sandbox) }).catch((error: unknown) => error);
    expect(outcome).toBeInstanceOf(ProviderError);
    expect(outcome).not.toBeInstanceOf(AuthenticationError);
    expect(outcome).toMatchObject({ code: 'ERR_PROVIDER', status: 404, providerCode: 'not_found' });
  });

  it.each(['', 'business-1', '79f66ebe-cc3c-4bc6-b240', '../oauth2/token', '79f66ebe-cc3c-4bc6-b240-41c97379de02/..'])(
    'rejects business id %j before any request',
    async (businessId) => {
      const client = t.connect();
      await expect(client.getBusinessToken(businessId)).rejects.toBeInstanceOf(InvalidRequestError);
      expect(t.seen('thredfi.token') + t.seen('thredfi.businessToken')).toBe(0);
    },
  );

  it('refuses scope and resource, which Thredfi tokens do not take', async () => {
    await expect(t.connect().getToken({ scope: 'business_access' })).rejects.toMatchObject({ code: 'ERR_UNSUPPORTED' });
    expect(t.seen('thredfi.token')).toBe(0);
  });
});

describe('business scoping', () => {
  it('keeps one token per business and never swaps them', async () => {
    const client = t.connect();
    const [first, second] = [t.owned(0), t.owned(1)];
    const [a, b, a2] = await Promise.all([client.getBusinessToken(first), client.getBusinessToken(second), client.getBusinessToken(first)]);
    expect(a).toBe(a2);
    expect(a.accessToken).not.toBe(b.accessToken);
    expect([a.businessId, b.businessId]).toEqual([first, second]);
  });

  it("is accepted by the business's own endpoint only", async () => {
    const client = t.connect();
    const [first, second] = [t.owned(0), t.owned(1)];
    const own = await client.fetch(`/v1/platform/businesses/${first}/customers/`, { token: { businessId: first } });
    expect(own.status).toBe(200);
    expect(((await own.json()) as { count: number }).count).toBe(2);
    const tokenOfFirst = (await client.getBusinessToken(first)).accessToken;
    const other = await client.fetch(`/v1/platform/businesses/${second}/customers/`, { headers: { authorization: `Bearer ${tokenOfFirst}` } });
    expect(other.status).toBe(403);
    await other.body?.cancel();
    const partnerOnly = await client.fetch(`/v1/platform/businesses/${first}/customers/`);
    expect(partnerOnly.status).toBe(403);
    await partnerOnly.body?.cancel();
  });
});

describe('UUID case', () => {
  it('accepts an upper-case business id (UUIDs compare case-insensitively) and reports it as asked', async () => {
    const upper = t.owned(2).toUpperCase();
    const token = await t.connect().getBusinessToken(upper);
    expect(token.businessId).toBe(upper);
  });
});
