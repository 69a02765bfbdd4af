import { useEffect, useRef, useState } from 'react';

/** The JWT's `exp` (seconds), read in the page for display only: the API verifies the token. */
export function jwtExp(token: string): number | undefined {
  try {
    const payload = token.split('.')[1] ?? '';
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const { exp } = JSON.parse(json) as { exp?: unknown };
    return typeof exp === 'number' ? exp : undefined;
  } catch {
    return undefined;
  }
}

function useNow(intervalMs: number): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(id);
  }, [intervalMs]);
  return now;
}

/** How many different tokens this page has been given: the first one, then each rotation. */
function useTokenCount(token: string | undefined): number {
  const seen = useRef<string | undefined>(undefined);
  const [count, setCount] = useState(0);
  useEffect(() => {
    if (token !== undefined && token !== seen.current) {
      seen.current = token;
      setCount((n) => n + 1);
    }
  }, [token]);
  return count;
}

const clock = (ms: number) => new Date(ms).toLocaleTimeString([], { hour12: false });

export interface TokenPanelProps {
  token: string | undefined;
  expiresAt: number | undefined;
  status: string;
  error: unknown;
  refresh(): unknown;
}

/** The token's life on screen: its expiry, a countdown and how often it rotated; never the token. */
export function TokenPanel({ token, expiresAt, status, error, refresh }: TokenPanelProps) {
  const now = useNow(250);
  const tokens = useTokenCount(token);
  const exp = token === undefined ? undefined : jwtExp(token);
  return (
    <section className="token" aria-label="Business token">
      <span>
        status <b data-testid="status">{status}</b>
      </span>
      <span>
        token expires (exp) <b data-testid="token-exp">{exp === undefined ? '-' : clock(exp * 1000)}</b>
      </span>
      <span>
        expires in <b data-testid="seconds-left">{exp === undefined ? '-' : `${Math.max(0, Math.round(exp - now / 1000))} s`}</b>
      </span>
      <span>
        hook refreshes before <b>{expiresAt === undefined ? '-' : clock(expiresAt)}</b>
      </span>
      <span>
        rotations <b data-testid="rotations">{Math.max(0, tokens - 1)}</b>
      </span>
      <button type="button" onClick={() => void refresh()}>
        Refresh now
      </button>
      {error ? <span role="alert">token error: {error instanceof Error ? error.message : String(error)}</span> : null}
    </section>
  );
}
