import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { version } from 'react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAuthFetch } from '@fintoken/fetch';
import { shareAcrossTabs } from '@fintoken/fetch/tabs';
import { resetBusinessTokens, useBusinessToken, type UseBusinessTokenOptions } from '../src/index.js';
import { startTokenServer, type TokenServer } from './support/tokenServer.js';

// A single-page app: alice signs out and bob signs in without a page load. The hook's token
// sources outlive every component (one per tokenUrl for the whole page), so without a reset the
// next user's components would join alice's source and render her token.
let server: TokenServer;
let n = 0;
beforeAll(async () => {
  server = await startTokenServer();
});
afterEach(() => {
  cleanup();
  server.user = 'alice';
  server.signedIn = true;
});
afterAll(async () => {
  await server?.close();
});

const freshUrl = () => `${server.url}/api/layer/business-token?signout=${(n += 1)}`;
const businessOf = (token: string) => (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { business_id: string }).business_id;

/** Every token any render showed, in order. */
function Probe({ options, seen }: { options: UseBusinessTokenOptions; seen: string[] }) {
  const { token, status } = useBusinessToken(options);
  if (token) seen.push(token);
  return <div data-testid="probe" data-status={status} data-token={token ?? ''} />;
}
const shown = () => screen.getByTestId('probe');

describe(`resetBusinessTokens on React ${version}`, () => {
  it("after alice signs out and bob signs in, no render of bob's page ever shows alice's token", async () => {
    const url = freshUrl();
    const aliceSeen: string[] = [];
    const first = render(<Probe options={{ tokenUrl: url }} seen={aliceSeen} />);
    await waitFor(() => expect(shown().dataset.status).toBe('ready'), { timeout: 10_000 });
    const aliceToken = shown().dataset.token!;
    expect(businessOf(aliceToken)).toBe(server.businesses.alice);

    // Sign-out: the server ends the session, then the page forgets every token the hooks hold.
    server.signedIn = false;
    const afterReset: string[] = [];
    act(() => resetBusinessTokens());
    aliceSeen.length = 0;
    // Still mounted (the sign-in screen has not replaced it yet): it renders no token at once.
    expect(shown().dataset.token).toBe('');
    first.unmount();

    server.user = 'bob';
    server.signedIn = true;
    render(<Probe options={{ tokenUrl: url }} seen={afterReset} />);
    await waitFor(() => expect(shown().dataset.status).toBe('ready'), { timeout: 10_000 });
    expect(businessOf(shown().dataset.token!)).toBe(server.businesses.bob);
    expect([...aliceSeen, ...afterReset]).not.toContain(aliceToken);
    for (const token of afterReset) expect(businessOf(token)).toBe(server.businesses.bob);
  });

  it('mounted components start over with a new source built from their current options', async () => {
    const url = freshUrl();
    const seen: string[] = [];
    const { rerender } = render(<Probe options={{ tokenUrl: url }} seen={seen} />);
    await waitFor(() => expect(shown().dataset.status).toBe('ready'), { timeout: 10_000 });
    const before = shown().dataset.token!;
    const requests = server.requests(url.slice(server.url.length)).length;
    server.user = 'bob';
    act(() => resetBusinessTokens());
    rerender(<Probe options={{ tokenUrl: url }} seen={seen} />);
    await waitFor(() => expect(shown().dataset.token).not.toBe(''), { timeout: 10_000 });
    expect(shown().dataset.token).not.toBe(before);
    expect(businessOf(shown().dataset.token!)).toBe(server.businesses.bob);
    // One new request for the new source, none from the stopped one.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(server.requests(url.slice(server.url.length)).length).toBe(requests + 1);
  });

  it('with tabs, the reset clears the token in every other tab of the partition', async () => {
    const url = freshUrl();
    const channel = `fintoken-react-signout-${n}`;
    render(<Probe options={{ tokenUrl: url, tabs: shareAcrossTabs({ partition: 'alice', channel }) }} seen={[]} />);
    await waitFor(() => expect(shown().dataset.status).toBe('ready'), { timeout: 10_000 });
    const otherTab = createAuthFetch({ tokenUrl: url, tabs: shareAcrossTabs({ partition: 'alice', channel, timeoutMs: 5_000 }) });
    try {
      expect((await otherTab.token()).accessToken).toBe(shown().dataset.token);
      server.signedIn = false;
      act(() => resetBusinessTokens());
      await expect.poll(() => otherTab.peek()).toBeUndefined();
    } finally {
      otherTab.close();
    }
  });
});
