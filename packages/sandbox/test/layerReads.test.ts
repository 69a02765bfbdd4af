import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../src/index.js';
import { basic, bearer, call, jsonHeaders, postForm } from './helpers.js';

// The reads Layer's React components (@layerfi/components) make first when a LayerProvider with
// a ChartOfAccounts mounts; shapes follow the schemas those components decode with.
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ seed: 'layer-reads-tests' });
});
afterAll(() => sandbox.close());
afterEach(() => {
  sandbox.clock.setSkewMs(0);
  sandbox.apiRequests.clear();
});

async function clientToken(): Promise<string> {
  const { clientId, clientSecret } = sandbox.credentials.layer;
  const res = await postForm(
    sandbox.urls.layer.authUrl,
    { grant_type: 'client_credentials', scope: 'https://sandbox.layerfi.com/sandbox', client_id: clientId },
    { Authorization: basic(clientId, clientSecret) },
  );
  return res.json.access_token;
}

async function businessToken(businessId: string, sessionDuration = 20): Promise<string> {
  const res = await call(`${sandbox.urls.layer.apiUrl}/v1/businesses/${businessId}/auth-token`, {
    method: 'POST',
    headers: { ...jsonHeaders, Authorization: bearer(await clientToken()) },
    body: JSON.stringify({ session_duration: sessionDuration }),
  });
  return res.json.access_token;
}

const read = (businessId: string, path: string, token?: string) =>
  call(`${sandbox.urls.layer.apiUrl}/v1/businesses/${businessId}${path}`, {
    headers: { ...(token ? { Authorization: bearer(token) } : {}), Origin: 'http://127.0.0.1:1' },
  });

const paths = ['', '/bank-accounts', '/bookkeeping/status', '/accounting-config', '/ledger/balances'];

describe('Layer API reads of the React components', () => {
  it('answers each read for a business token of that business, in the shape the components decode', async () => {
    const mine = sandbox.businesses.layer.active[0]!;
    const token = await businessToken(mine);
    const [business, bankAccounts, status, config, ledger] = await Promise.all(paths.map((p) => read(mine, p, token)));
    for (const res of [business, bankAccounts, status, config, ledger]) {
      expect(res!.status).toBe(200);
      expect(res!.headers['access-control-allow-origin']).toBe('*');
    }
    expect(business!.json).toEqual({
      data: { type: 'Business', id: mine, activation_at: '2025-01-01T00:00:00.000Z', is_demo: true },
    });
    expect(bankAccounts!.json).toEqual({ data: [] });
    expect(status!.json).toEqual({ data: { status: 'NOT_PURCHASED', show_embedded_onboarding: false, onboarding_call_url: null } });
    expect(config!.json.data).toMatchObject({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), enable_account_numbers: false, platform_display_tags: [] });
    const accounts = ledger!.json.data.accounts as Array<Record<string, any>>;
    expect(accounts.map((a) => a.account_type.value)).toEqual(['ASSET', 'LIABILITY', 'EQUITY', 'REVENUE', 'EXPENSE']);
    expect(accounts[0]).toMatchObject({ normality: 'DEBIT', balance: expect.any(Number), sub_accounts: [expect.objectContaining({ name: 'Checking' })] });
  });

  it('answers a CORS preflight with Authorization allowed, without counting it', async () => {
    const before = sandbox.stats.count('layer.ledgerBalances');
    const res = await call(`${sandbox.urls.layer.apiUrl}/v1/businesses/${sandbox.businesses.layer.active[0]}/ledger/balances`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://127.0.0.1:1', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization,layer-locale' },
    });
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(String(res.headers['access-control-allow-headers'])).toMatch(/Authorization/);
    expect(String(res.headers['access-control-allow-headers'])).toMatch(/Layer-Locale/);
    expect(sandbox.stats.count('layer.ledgerBalances')).toBe(before);
  });

  it('refuses an expired business token with a 401 ApiError the page can read', async () => {
    const mine = sandbox.businesses.layer.active[0]!;
    const token = await businessToken(mine, 20);
    sandbox.clock.setSkewMs(21_000);
    for (const path of paths) {
      const res = await read(mine, path, token);
      expect(res.status).toBe(401);
      expect(res.json).toEqual({ type: 'AuthFailure', description: 'Bearer token has expired' });
      expect(res.headers['access-control-allow-origin']).toBe('*');
    }
  });

  it('refuses a token of another business (403), no token (401), and unknown businesses (404)', async () => {
    const [mine, other] = sandbox.businesses.layer.active as [string, string];
    const token = await businessToken(mine);
    for (const path of paths) {
      const denied = await read(other, path, token);
      expect(denied.status).toBe(403);
      expect(denied.json.type).toBe('AuthFailure');
      expect((await read(mine, path)).status).toBe(401);
      expect((await read(sandbox.businesses.layer.archived, path, await clientToken())).json.type).toBe('ResourceArchived');
    }
  });

  it("logs each read with its token's exp against the time it arrived, and never the token", async () => {
    const mine = sandbox.businesses.layer.active[0]!;
    const token = await businessToken(mine, 20);
    await read(mine, '/ledger/balances', token);
    sandbox.clock.setSkewMs(25_000);
    await read(mine, '/ledger/balances', token);
    await read(mine, '/ledger/balances');
    const [fresh, expired, missing] = sandbox.apiRequests.list();
    expect(fresh).toMatchObject({ endpoint: 'layer.ledgerBalances', status: 200, tokenBusinessId: mine, live: true });
    expect(fresh!.tokenExp! * 1000).toBeGreaterThan(fresh!.receivedAt);
    expect(expired).toMatchObject({ status: 401, tokenExp: fresh!.tokenExp, live: false });
    expect(expired!.tokenExp! * 1000).toBeLessThanOrEqual(expired!.receivedAt);
    expect(missing).toMatchObject({ status: 401, tokenExp: null, tokenId: null, tokenBusinessId: null, live: false });
    expect(expired!.tokenId).toBe(fresh!.tokenId);
    expect(sandbox.apiRequests.summary()).toEqual({ total: 3, notLive: 2, unauthorized: 2, distinctTokens: 1 });

    const admin = await call(`${sandbox.urls.admin}/api-requests`);
    expect(admin.json.summary).toEqual(sandbox.apiRequests.summary());
    expect(admin.json.requests).toHaveLength(3);
    expect(admin.text).not.toContain(token);
    expect(admin.text).not.toContain(token.split('.')[2]);
    expect((await call(`${sandbox.urls.admin}/api-requests`, { method: 'DELETE' })).json.summary.total).toBe(0);
    expect(sandbox.apiRequests.list()).toEqual([]);
  });
});
