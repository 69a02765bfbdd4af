import { AuthenticationError, tokenFingerprint } from '@fintoken/core';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { StrictMode, version } from 'react';
import { version as domVersion } from 'react-dom';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAuthFetch } from '@fintoken/fetch';
import { shareAcrossTabs } from '@fintoken/fetch/tabs';
import { useBusinessToken, type BusinessToken, type UseBusinessTokenOptions } from '../src/index.js';
import { startTokenServer, type TokenServer } from './support/tokenServer.js';

let server: TokenServer;
let n = 0;
beforeAll(async () => {
  server = await startTokenServer();
});
afterEach(cleanup);
afterAll(async () => {
  await server?.close();
});

/** A token URL no other test used: the hook shares one token per URL for the whole page. */
const freshUrl = (path = '/api/layer/business-token') => `${server.url}${path}?test=${(n += 1)}`;
const requests = (url: string) => server.requests(url.slice(server.url.length));

/** Renders the hook's value and records each render with the time it happened. */
function Probe({ url, seen, id = 'probe', options }: { url: string; seen?: Array<BusinessToken & { at: number }>; id?: string; options?: UseBusinessTokenOptions }) {
  const state = useBusinessToken(options ?? { tokenUrl: url });
  seen?.push({ ...state, at: Date.now() });
  return (
    <div data-testid={id} data-status={state.status} data-token={state.token ?? ''}>
      <button type="button" onClick={() => void state.refresh()}>
        refresh {id}
      </button>
    </div>
  );
}

const shown = (id = 'probe') => screen.getByTestId(id);
const ready = (id = 'probe') => waitFor(() => expect(shown(id).dataset.status).toBe('ready'), { timeout: 10_000 });

describe(`useBusinessToken on React ${version}`, () => {
  it('runs on the React version its project names', () => {
    expect(domVersion).toBe(version);
    expect(version.split('.')[0]).toBe(expect.getState().currentTestName?.match(/React (\d+)/)?.[1]);
  });

  it('gives every component the same token from one endpoint request, under StrictMode', async () => {
    const url = freshUrl();
    render(
      <StrictMode>
        <Probe url={url} id="a" />
        <Probe url={url} id="b" />
        <Probe url={url} id="c" />
      </StrictMode>,
    );
    expect(shown('a').dataset.status).toBe('loading');
    await ready('a');
    await ready('c');
    const token = shown('a').dataset.token!;
    expect(token).not.toBe('');
    expect([shown('b').dataset.token, shown('c').dataset.token]).toEqual([token, token]);
    expect(requests(url)).toHaveLength(1);
    // The token the page got is one Layer's API accepts for the business.
    expect(await server.layerApiStatus(token)).toBe(200);
  });

  it('switches to a new token before the old one expires, and never renders an expired one', async () => {
    const url = freshUrl('/api/layer/short-token'); // session_duration 6 s
    const seen: Array<BusinessToken & { at: number }> = [];
    render(<Probe url={url} seen={seen} />);
    await ready();
    const first = seen.find((s) => s.token !== undefined)!;
    await waitFor(() => expect(shown().dataset.token).not.toBe(first.token), { timeout: 15_000, interval: 50 });
    const second = seen.find((s) => s.token !== undefined && s.token !== first.token)!;
    expect(second.at).toBeLessThan(first.expiresAt!);
    for (const s of seen) if (s.token !== undefined) expect(s.at).toBeLessThan(s.expiresAt!);
    expect(seen.filter((s) => s.at > first.at && s.token === undefined)).toEqual([]);
    expect(await server.layerApiStatus(second.token!)).toBe(200);
  });

  it('stops its timers when the last component unmounts: no endpoint request afterwards', async () => {
    const url = freshUrl('/api/layer/short-token');
    const { unmount } = render(<Probe url={url} />);
    await ready();
    const before = requests(url).length;
    unmount();
    // Past the token's refresh point and its expiry: a running timer would ask the endpoint.
    await new Promise((resolve) => setTimeout(resolve, 6_500));
    expect(requests(url).length).toBe(before);
  });

  it('refresh() gets a new token and tells the endpoint which token was refused, by fingerprint only', async () => {
    const url = freshUrl();
    render(<Probe url={url} />);
    await ready();
    const old = shown().dataset.token!;
    fireEvent.click(screen.getByText('refresh probe'));
    await waitFor(() => expect(shown().dataset.token).not.toBe(old), { timeout: 10_000 });
    expect(shown().dataset.status).toBe('ready');
    const last = requests(url).at(-1)!;
    expect(last['x-fintoken-rejected']).toBe(await tokenFingerprint(old));
    expect(JSON.stringify(requests(url))).not.toContain(old);
  });

  it('shows an error and no token when the endpoint refuses the session', async () => {
    server.signedIn = false;
    try {
      const url = freshUrl();
      const seen: Array<BusinessToken & { at: number }> = [];
      render(<Probe url={url} seen={seen} />);
      await waitFor(() => expect(shown().dataset.status).toBe('error'), { timeout: 10_000 });
      const last = seen.at(-1)!;
      expect(last.token).toBeUndefined();
      expect(last.error).toBeInstanceOf(AuthenticationError);
      expect(last.error).toMatchObject({ status: 403 });
    } finally {
      server.signedIn = true;
    }
  });

  it('drops the token at expiry when its refresh keeps failing (signed out meanwhile)', async () => {
    const url = freshUrl('/api/layer/short-token');
    const seen: Array<BusinessToken & { at: number }> = [];
    render(<Probe url={url} seen={seen} />);
    await ready();
    const first = seen.find((s) => s.token !== undefined)!;
    server.signedIn = false;
    try {
      await waitFor(() => expect(shown().dataset.status).toBe('error'), { timeout: 15_000, interval: 50 });
      expect(shown().dataset.token).toBe('');
      expect(Date.now()).toBeGreaterThanOrEqual(first.expiresAt!);
      for (const s of seen) if (s.token !== undefined) expect(s.at).toBeLessThan(s.expiresAt!);
    } finally {
      server.signedIn = true;
    }
  });

  it('a component mounted later gets the shared token at once, without a request', async () => {
    const url = freshUrl();
    const { rerender } = render(<Probe url={url} id="a" />);
    await ready('a');
    rerender(
      <>
        <Probe url={url} id="a" />
        <Probe url={url} id="late" />
      </>,
    );
    await act(async () => undefined);
    expect(shown('late').dataset.token).toBe(shown('a').dataset.token);
    expect(requests(url)).toHaveLength(1);
  });

  it('shares the token with another tab when given tabs: shareAcrossTabs()', async () => {
    const url = freshUrl();
    const channel = `fintoken-react-test-${n}`;
    render(<Probe url={url} options={{ tokenUrl: url, tabs: shareAcrossTabs({ partition: 'alice', channel }) }} />);
    await ready();
    // Another tab of the origin: its own authFetch on the same channel asks, and this page answers.
    const otherTab = createAuthFetch({ tokenUrl: url, tabs: shareAcrossTabs({ partition: 'alice', channel, timeoutMs: 5_000 }) });
    try {
      expect((await otherTab.token()).accessToken).toBe(shown().dataset.token);
      expect(requests(url)).toHaveLength(1);
    } finally {
      otherTab.close();
    }
  });

  it('shares the token of an authFetch the page already uses for API calls', async () => {
    const url = freshUrl();
    const authFetch = createAuthFetch({ tokenUrl: url });
    const fromCalls = await authFetch.token();
    render(<Probe url={url} options={{ authFetch }} />);
    await ready();
    expect(shown().dataset.token).toBe(fromCalls.accessToken);
    expect(requests(url)).toHaveLength(1);
  });
});
