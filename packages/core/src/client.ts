import type * as z from 'zod/mini';
import { transportRuntime } from './runtime.js';
import { readApiResponse } from './apiRequest.js';
import { authorizedFetch, type AuthorizedFetch, type AuthorizedFetchInit, type FetchAuthorizer } from './authorizedFetch.js';
import { base64Utf8 } from './bytes.js';
import { cacheKeyPrefix, extendCacheKey } from './cacheKey.js';
import { fetchClientCredentialsToken, type ClientCredentialsOptions, type FormFields, type TokenResponse } from './clientCredentials.js';
import { createCredential, isSecretString, withCredential, type Credential, type CredentialInput } from './credential.js';
import { dispatcherUnsupported } from './http.js';
import type { CommonOptions } from './options.js';
import { fetchDeadlineMs } from './lockTiming.js';
import { mintWithParent, type ParentMintSpec } from './parentToken.js';
import { createRedactor, inspectSymbol } from './redact.js';
import { TokenCache, type LoadReason } from './tokenCache.js';
import type { EndpointSpec } from './tokenEndpoint.js';
import { createEmitter, type Transport } from './transport.js';
import { trimTrailingSlash } from './url.js';
import { checkRequestShape } from './requestShape.js';
import type { BusinessTokenPolicy, Token, TokenClient, TokenRequest } from './types.js';

/**
 * What a provider package declares; core does the rest (cache, retry, errors, fetch, rotating
 * secrets). The token requests are data: `grant` (the client-credentials request) and, for
 * providers that mint business tokens with the client's own token, `businessToken`. `fetchToken`
 * is the escape hatch for what data cannot say.
 */
export interface ProviderDefinition<R extends TokenRequest> {
  provider: string;
  /** The factory's public name, for messages (`createLayerClient`). Default `provider`. */
  factory?: string;
  environment: string;
  clientId: string;
  /**
   * The client's secret (`clientSecret`, `apiKey`): a string, or a function returning one (sync or
   * async: a secrets manager, a mounted file). Read on first use; read again, once for all
   * concurrent callers, when the provider refuses it; every form of it is kept out of errors.
   */
  secret?: CredentialInput<string>;
  /** The secret's option name, for messages. Default `clientSecret`. */
  secretName?: string;
  /** Other secrets the client holds, so no error can echo one. */
  secrets?: string[];
  /** The provider API origin (plus path prefix) that `fetch(path)` resolves against. */
  apiUrl?: string;
  options: CommonOptions;
  /** What its business-scoped tokens are for (see `BusinessTokenPolicy`). Default `false`: it has none. */
  businessTokens?: BusinessTokenPolicy | false;
  /** Request fields this provider has no use for: asking for one is an `UnsupportedError`, and nothing is sent. */
  unsupported?: ReadonlyArray<'businessId' | 'scope' | 'resource'>;
  /** Validate a request before anything is sent (throws `InvalidRequestError`/`UnsupportedError`). */
  validate?: (request: R) => void;
  /** Provider-specific parts of the cache key (e.g. a session duration). First called by the first `getToken`, `fetch` or `invalidate`, never at construction. */
  keyExtra?: (request: R) => string | undefined;
  /** The client-credentials grant (RFC 6749 §4.4), sent with the current `secret`. */
  grant?: GrantSpec<R>;
  /**
   * Business-scoped tokens minted with the client's own (grant) token as Bearer (Layer, Thredfi).
   * Without it, a request with a `businessId` goes to `grant` (Asset's `business_id` field).
   */
  businessToken?: ParentMintSpec<R>;
  /** Fetch a token yourself, instead of `grant`/`businessToken` (never called concurrently for one key). */
  fetchToken?: (request: R, context: FetchContext) => Promise<Token>;
  /**
   * How `fetch` authorizes API requests when a Bearer header is not enough (DPoP proofs, a client
   * certificate): see `FetchAuthorizer`. Default: `Authorization: Bearer <token>`.
   */
  authorizer?: FetchAuthorizer;
}

/** The client-credentials token request, as data (RFC 6749 §4.4.2). */
export interface GrantSpec<R extends TokenRequest = TokenRequest> {
  tokenUrl: string;
  /** RFC 6749 §2.3.1: Basic `id:secret`, or both as form fields. */
  authMethod: ClientCredentialsOptions['authMethod'];
  /** Also send `client_id` as a form field with Basic auth (Layer asks for it). */
  clientIdInBody?: boolean;
  /** Form fields beyond the credentials and `grant_type` (scope, business, lifetime, ...). */
  fields?: (request: R) => FormFields;
  /** The answer's schema. Default RFC 6749 §5.1's. */
  schema?: z.core.$ZodType<TokenResponse>;
  /** Read the provider's error body (default RFC 6749 §5.2). */
  parseError?: EndpointSpec<z.core.$ZodType>['parseError'];
  /** `absolute` where `expires_in` is a unix time (Asset). */
  expiresInMode?: 'relative' | 'absolute';
}

export interface FetchContext {
  transport: Transport;
  reason: LoadReason;
  key: string;
  /** The definition's `secret`, for a `fetchToken` that sends it (use it through `withCredential`). */
  secret?: Credential<string>;
  /**
   * Redact a secret read after construction (a rotated credential, see `createCredential`) in
   * every form `secrets` are: as is, URL- and form-encoded, inside a Basic credential.
   */
  addSecret(secret: string): void;
}

/** The client every provider factory returns (plus its own methods). */
export interface ProviderClient<R extends TokenRequest = TokenRequest> extends TokenClient {
  readonly provider: string;
  readonly environment: string;
  readonly businessTokens: BusinessTokenPolicy | false;
  getToken(request?: R): Promise<Token>;
  /** An authorized request to the provider API: right Bearer, one refresh-and-retry on a 401. */
  fetch: AuthorizedFetch<R>;
  /**
   * An authorized API call whose answer is validated with `spec.schema`; error statuses become
   * typed errors (`ProviderError`, `AuthenticationError`) with provider text redacted.
   */
  requestJson<S extends z.core.$ZodType>(pathOrUrl: string | URL, spec: ApiSpec<S>, init?: AuthorizedFetchInit<R>): Promise<z.infer<S>>;
  /** Forget the cached token for `request` (here and in the shared store). */
  invalidate(request?: R): Promise<void>;
}

/** How to read an API answer: its schema, and optionally the provider's error body format and a name for messages. */
export type ApiSpec<S extends z.core.$ZodType> = Pick<EndpointSpec<S>, 'schema' | 'parseError' | 'name'>;

/** Compose a provider definition with core's cache, transport and authorized fetch. */
export function createProviderClient<R extends TokenRequest>(definition: ProviderDefinition<R>): ProviderClient<R> {
  const { provider, environment, clientId, options } = definition;
  // Refused at construction, not at the first request: a proxy silently skipped would be worse.
  if (options.dispatcher !== undefined && transportRuntime !== 'undici') throw dispatcherUnsupported(provider);
  const redact = createRedactor((definition.secrets ?? []).flatMap((secret) => secretForms(clientId, secret)));
  const secret =
    definition.secret === undefined
      ? undefined
      : createCredential(definition.secret, {
          name: definition.secretName ?? 'clientSecret',
          factory: definition.factory ?? provider,
          accept: isSecretString,
          expected: 'a non-empty string',
          onValue: (value) => addSecret(value),
        });
  function addSecret(value: string): void {
    redact.keep(secretForms(clientId, value));
  }
  const emit = createEmitter(provider, options.onEvent);
  const now = options.now ?? Date.now;
  const transport: Transport = {
    provider,
    timeoutMs: options.timeoutMs ?? 10_000,
    maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024,
    dispatcher: options.dispatcher,
    retry: options.retry ?? {},
    now,
    redact,
    safetyMarginMs: options.safetyMarginMs,
    emit,
  };
  const cache = new TokenCache({
    provider,
    now,
    ...(options.maxEntries === undefined ? {} : { maxEntries: options.maxEntries }),
    ...(options.store === undefined ? {} : { store: options.store }),
    ...(options.refreshAhead === undefined ? {} : { refreshAhead: options.refreshAhead }),
    ...(options.onEvent === undefined ? {} : { onEvent: options.onEvent }),
    ...(options.lockTtlMs === undefined ? {} : { lockTtlMs: options.lockTtlMs }),
    ...(options.waitTimeoutMs === undefined ? {} : { waitTimeoutMs: options.waitTimeoutMs }),
    ...(options.forcedRefreshIntervalMs === undefined ? {} : { forcedRefreshIntervalMs: options.forcedRefreshIntervalMs }),
    ...(options.waitUntil === undefined ? {} : { waitUntil: options.waitUntil }),
    fetchDeadlineMs: fetchDeadlineMs(transport.timeoutMs, transport.retry),
  });

  // The client's part of every key is encoded once; each request adds only its own parts.
  const keyPrefix = cacheKeyPrefix({ provider, environment, clientId });
  const keyOf = (request: R): string => extendCacheKey(keyPrefix, request, definition.keyExtra?.(request));

  const fetchToken = definition.fetchToken ?? declaredFetcher(definition, secret, (request) => getToken(request as R));
  const context = (reason: LoadReason, key: string, scoped: Transport): FetchContext =>
    secret === undefined ? { transport: scoped, reason, key, addSecret } : { transport: scoped, reason, key, addSecret, secret };

  const defaultRequest = {} as R;
  // Computed on first use, not here: a provider whose key parts are only known once something
  // asynchronous is done (a DPoP key's thumbprint) may hold its first call until then.
  let defaultKey: string | undefined;
  const defaultKeyOf = (): string => (defaultKey ??= keyOf(defaultRequest));
  const defaultFetcher = ({ reason }: { reason: LoadReason }) => fetchToken(defaultRequest, context(reason, defaultKeyOf(), transport));

  function getToken(request?: R): Promise<Token> {
    // Hot path: the default token, key and fetcher precomputed.
    if (request === undefined) return cache.get(defaultKeyOf(), defaultFetcher);
    let key: string;
    try {
      checkRequestShape(provider, request, definition.unsupported);
      definition.validate?.(request);
      key = keyOf(request);
    } catch (error) {
      return Promise.reject(error);
    }
    // Built only when a load starts: a cache hit (the hot path) allocates neither.
    const fetcher = ({ reason }: { reason: LoadReason }) =>
      fetchToken(stripControl(request), context(reason, key, scopedTransport(transport, request.businessId)));
    return cache.get(key, fetcher, request);
  }

  const fetch = authorizedFetch<R>({
    provider,
    getToken,
    ...(definition.apiUrl === undefined ? {} : { apiUrl: trimTrailingSlash(definition.apiUrl) }),
    dispatcher: options.dispatcher,
    redact,
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(definition.authorizer === undefined ? {} : { authorizer: definition.authorizer }),
  });
  const client: ProviderClient<R> = {
    provider,
    environment,
    businessTokens: definition.businessTokens ?? false,
    getToken,
    fetch,
    requestJson: async (pathOrUrl, spec, init) => {
      const headers = new Headers(init?.headers as ConstructorParameters<typeof Headers>[0]);
      if (!headers.has('accept')) headers.set('accept', 'application/json');
      const response = await fetch(pathOrUrl, { ...init, headers: headers as never });
      return readApiResponse(response, { ...spec, name: spec.name ?? 'API', signal: undefined }, transport);
    },
    invalidate: (request) => cache.delete(request === undefined ? defaultKeyOf() : keyOf(request)),
  };
  const describe = () => ({ provider, environment, clientId, apiUrl: definition.apiUrl, cachedTokens: cache.size });
  Object.defineProperties(client, {
    toJSON: { value: describe, enumerable: false },
    [inspectSymbol]: { value: () => `FintokenClient ${JSON.stringify(describe())}`, enumerable: false },
    toString: { value: () => `[FintokenClient ${provider}]`, enumerable: false },
  });
  return client;
}

/**
 * The fetcher a declarative definition stands for: business tokens through `businessToken` (with
 * the client's own token as the parent) when it has one, everything else through `grant`, sent
 * with the secret's current value and re-sent once with a rotated one.
 */
function declaredFetcher<R extends TokenRequest>(
  definition: ProviderDefinition<R>,
  secret: Credential<string> | undefined,
  parent: (request?: TokenRequest) => Promise<Token>,
): (request: R, context: FetchContext) => Promise<Token> {
  const { grant, businessToken, clientId } = definition;
  // A mistake in a provider package, not in the application's options.
  if (grant === undefined || secret === undefined) throw new TypeError(`${definition.provider}: a provider definition needs grant and secret, or fetchToken`);
  return (request, { transport, key }) => {
    const { businessId } = request;
    if (businessId !== undefined && businessToken !== undefined) return mintWithParent(businessToken, { ...request, businessId }, parent, transport, key);
    const send = (clientSecret: string) =>
      fetchClientCredentialsToken(
        { tokenUrl: grant.tokenUrl, clientId, clientSecret, authMethod: grant.authMethod, clientIdInBody: grant.clientIdInBody, fields: grant.fields?.(request) },
        transport,
        { schema: grant.schema, parseError: grant.parseError, expiresInMode: grant.expiresInMode, businessId, key },
      );
    return withCredential(secret, send);
  };
}

// Events of a business-scoped load name the business, so that a listener can keep it out of the
// endpoint URL it reports (Layer and Thredfi put the business id in the path).
function scopedTransport(transport: Transport, businessId: string | undefined): Transport {
  if (businessId === undefined) return transport;
  return { ...transport, emit: (event) => transport.emit({ ...event, businessId }) };
}

// The fetcher is shared by every caller of the key: it must not carry one caller's control fields.
function stripControl<R extends TokenRequest>(request: R): R {
  if (request.signal === undefined && request.forceRefresh === undefined && request.rejectedToken === undefined && request.fresh === undefined) return request;
  const { signal: _s, forceRefresh: _f, rejectedToken: _r, fresh: _n, ...rest } = request;
  return rest as R;
}

/**
 * Every form in which a secret travels, so that none survives in a provider's echo: as is,
 * URL- and form-encoded (a secret with `+ / = & %` or spaces changes shape in a form body), and
 * inside a Basic credential (base64 of `id:secret`, RFC 7617).
 */
function secretForms(clientId: string, secret: string): string[] {
  const form = new URLSearchParams({ s: secret }).toString().slice(2);
  const basic = base64Utf8(`${clientId}:${secret}`);
  return [secret, encodeURIComponent(secret), form, basic, basic.replace(/=+$/, '')];
}
