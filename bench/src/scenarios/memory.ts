import { randomBytes } from 'node:crypto';
import { buildCacheKey, createToken, TokenCache, type Token } from '@fintoken/core';
import { median, ratio } from '../util/stats.js';
import { bytes, num, times, count } from '../util/format.js';
import type { ScenarioReport } from './types.js';

// The target: a cached token costs at most 1.1x its heap in a plain Map.
const MAX_VS_MAP = 1.1;

export interface MemoryOptions {
  tokens: number;
  rounds: number;
  /** Length of each access token (a Layer business JWT is of this order). */
  tokenLength: number;
}

export interface MemoryResult {
  /** Heap bytes per entry, per round. */
  map: number[];
  tokenCache: number[];
  /** Heap bytes of the token objects alone (access token string included), per round. */
  tokensOnly: number[];
}

function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (collect === undefined) throw new Error('memory scenario needs node --expose-gc');
  // Twice: the first pass can leave finalisation work for the second.
  collect();
  collect();
}

function heapUsed(): number {
  gc();
  return process.memoryUsage().heapUsed;
}

// A business token as a Layer client caches it. The access token is a fresh flat string per
// token (base64url of random bytes), never a concatenation sharing memory with another.
function makeToken(i: number, length: number, now: number): Token {
  return createToken({
    accessToken: randomBytes(Math.ceil((length * 3) / 4)).toString('base64url').slice(0, length),
    tokenType: 'Bearer',
    issuedAt: now,
    expiresAt: now + 3_600_000 + i,
    businessId: `business-${i}`,
  });
}

async function fillTokenCache(keys: string[], length: number): Promise<number> {
  const before = heapUsed();
  const cache = new TokenCache({ maxEntries: keys.length });
  const now = Date.now();
  for (const [i, key] of keys.entries()) {
    // The local fetcher stands in for the provider; each key's token is made on its miss.
    await cache.get(key, async () => makeToken(i, length, now));
  }
  const after = heapUsed();
  if (cache.size !== keys.length) throw new Error(`TokenCache kept ${cache.size} of ${keys.length} tokens`);
  return (after - before) / keys.length;
}

function fillMap(keys: string[], length: number): number {
  const before = heapUsed();
  const map = new Map<string, Token>();
  const now = Date.now();
  for (const [i, key] of keys.entries()) map.set(key, makeToken(i, length, now));
  const after = heapUsed();
  if (map.size !== keys.length) throw new Error('Map lost entries');
  return (after - before) / keys.length;
}

function tokensOnly(count: number, length: number): number {
  const before = heapUsed();
  const now = Date.now();
  const tokens = Array.from({ length: count }, (_, i) => makeToken(i, length, now));
  const after = heapUsed();
  // The array's own backing store (8 bytes a slot) is not part of a token.
  return (after - before) / tokens.length - 8;
}

export async function runMemory(options: MemoryOptions, log: (line: string) => void = () => {}): Promise<MemoryResult> {
  // Keys exist before and after every fill, so neither side is charged for them.
  const keys = Array.from({ length: options.tokens }, (_, i) => buildCacheKey({ provider: 'layer', environment: 'sandbox', clientId: 'bench-client', businessId: `business-${i}` }));
  const result: MemoryResult = { map: [], tokenCache: [], tokensOnly: [] };
  for (let round = 0; round < options.rounds; round += 1) {
    // Alternate the order: whatever the first fill leaves behind must not favour one side.
    if (round % 2 === 0) {
      result.map.push(fillMap(keys, options.tokenLength));
      result.tokenCache.push(await fillTokenCache(keys, options.tokenLength));
    } else {
      result.tokenCache.push(await fillTokenCache(keys, options.tokenLength));
      result.map.push(fillMap(keys, options.tokenLength));
    }
    result.tokensOnly.push(tokensOnly(options.tokens, options.tokenLength));
    log(`  memory round ${round + 1}: Map ${num(result.map.at(-1) ?? 0)} B, TokenCache ${num(result.tokenCache.at(-1) ?? 0)} B, token alone ${num(result.tokensOnly.at(-1) ?? 0)} B per entry`);
  }
  return result;
}

export function reportMemory(result: MemoryResult, options: MemoryOptions): ScenarioReport {
  const map = median(result.map);
  const cache = median(result.tokenCache);
  const token = median(result.tokensOnly);
  const mapOverhead = map - token;
  const cacheOverhead = cache - token;
  const table = {
    headers: ['holder', 'heap bytes per cached token', 'of which the token itself', 'bookkeeping per entry', 'vs plain Map (total)', `heap for ${num(options.tokens)} tokens`],
    rows: [
      ['plain `Map<string, Token>`', bytes(map), bytes(token), bytes(mapOverhead), '1x', `${num((map * options.tokens) / 2 ** 20, 1)} MiB`],
      [`core \`TokenCache\` (maxEntries ${num(options.tokens)})`, bytes(cache), bytes(token), bytes(cacheOverhead), times(ratio(cache, map)), `${num((cache * options.tokens) / 2 ** 20, 1)} MiB`],
    ],
  };
  const vsMap = ratio(cache, map);
  const loss = `A TokenCache entry costs ${bytes(cacheOverhead)} of bookkeeping against ${bytes(mapOverhead)} for a plain Map (the entry record: the token, its refresh lead and failure backoff as small integers, the eviction flag), ${times(vsMap)} the Map's total per token (target ≤ ${MAX_VS_MAP}x: ${vsMap <= MAX_VS_MAP ? 'met' : 'NOT met'}). That extra per token buys single-flight, refresh-ahead and a bounded size; at ${num(options.tokens)} tokens it is ${num(((cache - map) * options.tokens) / 2 ** 20, 1)} MiB more.`;
  return {
    id: 'memory',
    title: `5. Memory: heap per cached token at ${num(options.tokens)} business tokens`,
    what: [
      `${num(options.tokens)} business tokens (access token of ${options.tokenLength} characters, as a JWT would be, plus type, expiry, issue time and business id; made with core's \`createToken\`) are put into a plain \`Map\` and into a core \`TokenCache\` (filled through its fetcher, one miss per key). Heap used is read after \`global.gc()\` before and after each fill; keys are built beforehand and shared, so neither side is charged for them. **of which the token itself** is the heap of the same tokens held in an array; **bookkeeping** is the rest. Medians over ${count(options.rounds, 'round')}, alternating which holder fills first.`,
    ],
    tables: [table],
    verdict: [loss],
    losses: cache > map ? [loss] : [],
    checks: [{ name: `memory: TokenCache heap per token <= ${MAX_VS_MAP}x a plain Map at ${num(options.tokens)} tokens`, pass: vsMap <= MAX_VS_MAP, detail: times(vsMap) }],
    data: { options, ...result, medians: { map, tokenCache: cache, tokenAlone: token, mapOverhead, tokenCacheOverhead: cacheOverhead } },
  };
}
