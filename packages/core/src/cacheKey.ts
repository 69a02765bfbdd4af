/** The parts a cache key is made of. Never a secret: keys may be stored in Redis and logged. */
export interface CacheKeyParts {
  provider: string;
  environment?: string;
  clientId: string;
  businessId?: string;
  scope?: string | string[];
  resource?: string | string[];
  /** Provider-specific parts that change the token (e.g. Layer's session duration). */
  extra?: string;
}

/** Split on whitespace, drop empties and duplicates, sort: `"b a  a"` and `["a","b"]` are one key. */
export function normalizeList(value: string | string[] | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const items = (Array.isArray(value) ? value : [value]).flatMap((v) => v.split(/\s+/)).filter((v) => v !== '');
  if (items.length === 0) return undefined;
  return [...new Set(items)].sort();
}

/** A stable key: each part URI-encoded so no value can forge a delimiter. */
export function buildCacheKey(parts: CacheKeyParts): string {
  return extendCacheKey(cacheKeyPrefix(parts), parts, parts.extra);
}

/**
 * The part of a key fixed for one client (provider, environment, client id): a client computes it
 * once, and `extendCacheKey` adds each request's parts, so `getToken` encodes only those.
 */
export function cacheKeyPrefix(parts: Pick<CacheKeyParts, 'provider' | 'environment' | 'clientId'>): string {
  const e = encodeURIComponent;
  return `${e(parts.provider)}:${e(parts.environment ?? '')}:${e(parts.clientId)}`;
}

/** `prefix` plus a request's business, scope, resource and provider-specific part: `buildCacheKey`'s key. */
export function extendCacheKey(prefix: string, parts: Pick<CacheKeyParts, 'businessId' | 'scope' | 'resource'>, extra: string | undefined): string {
  const e = encodeURIComponent;
  let key = prefix;
  if (parts.businessId !== undefined) key += `:b=${e(parts.businessId)}`;
  const scope = normalizeList(parts.scope);
  if (scope !== undefined) key += `:s=${scope.map(e).join('+')}`;
  const resource = normalizeList(parts.resource);
  if (resource !== undefined) key += `:r=${resource.map(e).join('+')}`;
  if (extra !== undefined) key += `:x=${e(extra)}`;
  return key;
}
