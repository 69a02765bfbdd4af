import { describe, expect, it } from 'vitest';
import { AbortError, createAuthFetch, ResponseValidationError, type FintokenEvent, type TokenResponse } from '../src/index.js';

// The single-tab cache (src/memoryCache.ts) driven through createAuthFetch with a getToken the
// test answers by hand, so the order of requests, answers and calls is exact.
function scripted() {
  const calls: Array<{ resolve: (response: TokenResponse) => void; reject: (error: unknown) => void }> = [];
  const getToken = () => new Promise<TokenResponse>((resolve, reject) => calls.push({ resolve, reject }));
  return { calls, getToken };
}
const response = (access_token: string, expires_in = 3600): TokenResponse => ({ access_token, token_type: 'Bearer', expires_in });
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('the single-tab token cache', () => {
  it('rejects a token that arrives already expired and keeps nothing', async () => {
    const events: FintokenEvent[] = [];
    let calls = 0;
    const authFetch = createAuthFetch({
      getToken: async () => {
        calls += 1;
        return { accessToken: `expired-token-${calls}`, tokenType: 'Bearer', expiresAt: Date.now() - 1 };
      },
      onEvent: (event) => events.push(event),
    });
    const error = await authFetch.token().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect(error).toMatchObject({ field: 'expires_in' });
    expect(events.find((e) => e.type === 'token.failed')).toMatchObject({ reason: 'miss', error: { field: 'expires_in' } });
    expect(authFetch.peek()).toBeUndefined();
    await expect(authFetch.token()).rejects.toBeInstanceOf(ResponseValidationError);
    expect(calls).toBe(2);
    expect(JSON.stringify(events)).not.toContain('expired-token');
    // A token response with a negative lifetime is the same failure.
    const negative = createAuthFetch({ getToken: async () => response('negative-token', -5) });
    await expect(negative.token()).rejects.toMatchObject({ field: 'expires_in' });
  });

  it('clear() during a token request: the waiting caller gets that token, but it is not kept', async () => {
    const { calls, getToken } = scripted();
    const authFetch = createAuthFetch({ getToken });
    const first = authFetch.token();
    await settle();
    authFetch.clear();
    calls[0]!.resolve(response('before-clear'));
    expect((await first).accessToken).toBe('before-clear');
    expect(authFetch.peek()).toBeUndefined();
    const second = authFetch.token();
    await settle();
    expect(calls).toHaveLength(2);
    calls[1]!.resolve(response('after-clear'));
    expect((await second).accessToken).toBe('after-clear');
    expect(authFetch.peek()?.accessToken).toBe('after-clear');
  });

  it('a forced refresh that joins a request bringing back the rejected token asks once more', async () => {
    const { calls, getToken } = scripted();
    const authFetch = createAuthFetch({ getToken });
    const plain = authFetch.token();
    await settle();
    const forced = authFetch.token({ forceRefresh: true, rejectedToken: 'token-a' });
    calls[0]!.resolve(response('token-a'));
    expect((await plain).accessToken).toBe('token-a');
    await settle();
    expect(calls).toHaveLength(2);
    calls[1]!.resolve(response('token-b'));
    expect((await forced).accessToken).toBe('token-b');
    // A late rejection of token-a finds it replaced: no request.
    expect((await authFetch.token({ forceRefresh: true, rejectedToken: 'token-a' })).accessToken).toBe('token-b');
    expect(calls).toHaveLength(2);
  });

  it('after a failed refresh ahead it serves the valid token and tries again at most once per 5 s', async () => {
    const { calls, getToken } = scripted();
    let now = 1_000_000;
    const events: FintokenEvent[] = [];
    const authFetch = createAuthFetch({ getToken, now: () => now, onEvent: (event) => events.push(event) });
    const first = authFetch.token();
    await settle();
    calls[0]!.resolve(response('token-a', 60)); // lead min(30 s, 20 s): refresh from 40 s on
    await first;
    now += 41_000;
    expect((await authFetch.token()).accessToken).toBe('token-a');
    await settle();
    expect(calls).toHaveLength(2);
    calls[1]!.reject(new Error('endpoint down'));
    await settle();
    expect(events.filter((e) => e.type === 'token.failed')).toHaveLength(1);
    now += 4_000;
    expect((await authFetch.token()).accessToken).toBe('token-a');
    await settle();
    expect(calls).toHaveLength(2);
    now += 1_500;
    expect((await authFetch.token()).accessToken).toBe('token-a');
    await settle();
    expect(calls).toHaveLength(3);
    calls[2]!.resolve(response('token-b', 60));
    await settle();
    expect((await authFetch.token()).accessToken).toBe('token-b');
    expect(events.find((e) => e.type === 'token.refreshed')).toMatchObject({ reason: 'refresh-ahead', key: 'fintoken:getToken' });
    expect(events.filter((e) => e.type === 'cache.hit' && e.reason === 'refresh-ahead').length).toBeGreaterThanOrEqual(3);
  });

  it('an already aborted signal rejects at once with an AbortError and asks for no token', async () => {
    const { calls, getToken } = scripted();
    const authFetch = createAuthFetch({ getToken });
    const controller = new AbortController();
    controller.abort();
    await expect(authFetch.token({ signal: controller.signal })).rejects.toBeInstanceOf(AbortError);
    await settle();
    expect(calls).toHaveLength(0);
  });

  it('a throwing onEvent listener does not break token delivery; subscribers hear of new tokens and clear()', async () => {
    const { calls, getToken } = scripted();
    let now = 1_000_000;
    const authFetch = createAuthFetch({
      getToken,
      now: () => now,
      onEvent: () => {
        throw new Error('faulty listener');
      },
    });
    let notified = 0;
    const unsubscribe = authFetch.subscribe(() => {
      notified += 1;
    });
    const first = authFetch.token();
    await settle();
    calls[0]!.resolve(response('token-a', 60));
    expect((await first).accessToken).toBe('token-a');
    expect(notified).toBe(1);
    now += 41_000;
    await authFetch.token();
    await settle();
    calls[1]!.resolve(response('token-b', 60));
    await settle();
    expect(notified).toBe(2);
    authFetch.clear();
    expect(notified).toBe(3);
    unsubscribe();
    authFetch.clear();
    expect(notified).toBe(3);
  });
});
