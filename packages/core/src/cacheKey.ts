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
  const e = encodeURIComponent;
  let key = `${e(parts.provider)}:${e(parts.environment ?? '')}:${e(parts.clientId)}`;
  if (parts.businessId !== undefined) key += `:b=${e(parts.businessId)}`;
  const scope = normalizeList(parts.scope);
  if (scope !== undefined) key += `:s=${scope.map(e).join('+')}`;
  const resource = normalizeList(parts.resource);
  if (resource !== undefined) key += `:r=${resource.map(e).join('+')}`;
  if (parts.extra !== undefined) key += `:x=${e(parts.extra)}`;
  return key;
}
