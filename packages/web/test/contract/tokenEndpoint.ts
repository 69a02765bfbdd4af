import { describe, expect, it } from 'vitest';
import type { TokenEndpointOptions } from '../../src/endpoint.js';
import { expectNoLeaks, useSandboxSuite } from '../support/http.js';
import type { RunningServer } from '../support/serve.js';
import { describeBrowserPolicy } from './browserPolicy.js';
import { describeCoreRules } from './coreRules.js';
import { describeCrossSite } from './crossSite.js';
import { describeForcedReplacements } from './forced.js';
import { describeRateLimit } from './rateLimit.js';
import { BAD_SECRET } from './shared.js';

// The business-token endpoint's contract, run over real HTTP against every adapter
// (@fintoken/web on @hono/node-server, @fintoken/express 4 and 5): one table, so the adapters
// cannot drift apart. Each adapter's suite imports this file; nothing here is adapter-specific.
// One file per group of rules; they share one sandbox and one recording browser.

/** The neutral view of a request that the contract's callbacks read. */
export interface ContractRequest {
  header(name: string): string | undefined;
}

export type ContractOptions = TokenEndpointOptions<ContractRequest>;
export type ContractRoutes = Record<string, ContractOptions>;

export interface ContractAdapter {
  name: string;
  /** The factory's public name, as configuration errors start with it. */
  factory: string;
  /** Build one handler (construction errors are what is tested). */
  create(options: ContractOptions): unknown;
  /** Serve each route (path -> options) on 127.0.0.1:0. */
  serve(routes: ContractRoutes): Promise<RunningServer>;
}

/** Options written against the neutral view, re-expressed for an adapter's own request type. */
export function forRequest<R>(options: ContractOptions, view: (req: R) => ContractRequest): TokenEndpointOptions<R> {
  const { authorize, request: extras, rateLimit, ...rest } = options;
  const key = rateLimit?.key;
  return {
    ...rest,
    authorize: (req) => authorize(view(req)),
    ...(extras === undefined ? {} : { request: (req: R, businessId: string) => extras(view(req), businessId) }),
    ...(rateLimit === undefined ? {} : { rateLimit: { ...rateLimit, key: key === undefined ? undefined : (req: R, authorized) => key(view(req), authorized) } }),
  };
}

export type ContractSuite = ReturnType<typeof useSandboxSuite>;

export function describeTokenEndpointContract(adapter: ContractAdapter): void {
  describe(`business token endpoint contract: ${adapter.name}`, () => {
    const suite = useSandboxSuite();
    describeCoreRules(adapter, suite);
    describeCrossSite(adapter, suite);
    describeForcedReplacements(adapter, suite);
    describeRateLimit(adapter, suite);
    describeBrowserPolicy(adapter, suite);

    it('leaks no secret or server-side token in any response', () => {
      const { layer, thredfi, asset, layer1 } = suite.sb.credentials;
      expect(suite.serverTokens.tokens.size).toBeGreaterThanOrEqual(3);
      expectNoLeaks(suite.browser.seen, [layer.clientSecret, thredfi.apiKey, asset.clientSecret, layer1.clientSecret, BAD_SECRET], suite.serverTokens.tokens, 100);
    });
  });
}
