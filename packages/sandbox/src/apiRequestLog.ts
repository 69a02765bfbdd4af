/** One API request that presented (or lacked) a Bearer token, as the emulator saw it on arrival. */
export interface ApiRequestRecord {
  /** Endpoint name, e.g. "layer.ledgerBalances". */
  endpoint: string;
  method: string;
  /** The path without the query string; a path never carries a token. */
  path: string;
  status: number;
  /** When the request arrived, epoch ms on the sandbox clock. */
  receivedAt: number;
  /** The token's `exp` (epoch seconds), read even from an expired token; null without a JWT. */
  tokenExp: number | null;
  /** The token's `jti`: tells tokens apart without revealing them; null without a JWT. */
  tokenId: string | null;
  /** The token's `business_id`; null for a client token or no token. */
  tokenBusinessId: string | null;
  /** The token verified and was unexpired on the sandbox clock when the request arrived. */
  live: boolean;
}

export interface ApiRequestSummary {
  total: number;
  /** Requests whose token was not live on arrival (missing, invalid or expired). */
  notLive: number;
  unauthorized: number;
  /** Distinct tokens seen (by `jti`): rotations show up here. */
  distinctTokens: number;
}

export interface ApiRequestLog {
  record(entry: ApiRequestRecord): void;
  list(): ApiRequestRecord[];
  summary(): ApiRequestSummary;
  clear(): void;
}

// Bounded: a demo left open for hours must not grow without limit; tests look at far fewer.
const defaultLimit = 1000;

/**
 * Which token each API request carried and whether it was live when it arrived, so a browser
 * test can assert "every request carried a live token, zero 401s" without seeing any token.
 */
export function createApiRequestLog(limit = defaultLimit): ApiRequestLog {
  let entries: ApiRequestRecord[] = [];
  return {
    record(entry) {
      entries.push(entry);
      if (entries.length > limit) entries = entries.slice(-limit);
    },
    list: () => [...entries],
    summary() {
      const tokens = new Set(entries.flatMap((e) => (e.tokenId === null ? [] : [e.tokenId])));
      return {
        total: entries.length,
        notLive: entries.filter((e) => !e.live).length,
        unauthorized: entries.filter((e) => e.status === 401).length,
        distinctTokens: tokens.size,
      };
    },
    clear() {
      entries = [];
    },
  };
}
