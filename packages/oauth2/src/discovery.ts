import { ProviderError, ResponseValidationError } from '@fintoken/core';
import { callEndpoint, isLoopbackHost, trimTrailingSlash, type Transport } from '@fintoken/core/provider';
import { serverInfo, serverMetadataSchema, type ServerInfo, type ServerMetadata } from './metadata.js';

/**
 * Where an issuer's metadata lives, in the order tried: RFC 8414 §3.1 puts the well-known segment
 * between the host and the issuer's path (`https://as.example/.well-known/oauth-authorization-server/tenant`);
 * OpenID Connect Discovery §4 appends `/.well-known/openid-configuration` to the issuer.
 */
export function discoveryUrls(issuer: string): [string, string] {
  const url = new URL(issuer);
  // §3.1: "any terminating '/' MUST be removed before inserting".
  const path = trimTrailingSlash(url.pathname);
  return [`${url.origin}/.well-known/oauth-authorization-server${path}`, `${trimTrailingSlash(issuer)}/.well-known/openid-configuration`];
}

export interface Discovery {
  /** The server's metadata: fetched on first need and kept for the client's life; a failure is not kept. */
  info(transport: Transport): Promise<ServerInfo>;
}

/** Discovery of one issuer, one request at a time whoever asks (single flight). */
export function createDiscovery(issuer: string, allowHttp: boolean): Discovery {
  let known: ServerInfo | undefined;
  let pending: Promise<ServerInfo> | undefined;
  return {
    info(transport) {
      if (known !== undefined) return Promise.resolve(known);
      pending ??= discover(issuer, allowHttp, transport)
        .then((info) => {
          known = info;
          return info;
        })
        .finally(() => {
          pending = undefined;
        });
      return pending;
    },
  };
}

async function discover(issuer: string, allowHttp: boolean, transport: Transport): Promise<ServerInfo> {
  const [rfc8414, openid] = discoveryUrls(issuer);
  let metadata: ServerMetadata;
  try {
    metadata = await fetchMetadata(rfc8414, transport);
  } catch (error) {
    if (!absent(error)) throw error;
    try {
      metadata = await fetchMetadata(openid, transport);
    } catch (second) {
      if (!absent(second)) throw second;
      const status = second instanceof ProviderError ? second.status : 200;
      throw new ProviderError(`The ${transport.provider} issuer publishes no metadata at ${rfc8414} or ${openid}; check the issuer, or give tokenUrl instead`, {
        provider: transport.provider,
        status,
      });
    }
  }
  // RFC 8414 §3.3 (and OpenID Connect Discovery §4.3): the issuer in the metadata MUST be identical
  // to the one the client asked about, or the metadata MUST NOT be used: it may be an attacker's
  // document pointing the credentials at their own token endpoint.
  if (metadata.issuer !== issuer) {
    throw new ResponseValidationError(
      `The ${transport.provider} metadata names the issuer ${JSON.stringify(metadata.issuer.slice(0, 200))}, not ${JSON.stringify(issuer)} (RFC 8414 §3.3); refusing it`,
      { provider: transport.provider, field: 'issuer' },
    );
  }
  checkEndpoint(metadata.token_endpoint, 'token_endpoint', allowHttp, transport);
  const alias = metadata.mtls_endpoint_aliases?.token_endpoint;
  if (alias !== undefined) checkEndpoint(alias, 'mtls_endpoint_aliases.token_endpoint', allowHttp, transport);
  return serverInfo(metadata);
}

async function fetchMetadata(url: string, transport: Transport): Promise<ServerMetadata> {
  const { body } = await callEndpoint(
    { url, method: 'GET', headers: { accept: 'application/json' } },
    { schema: serverMetadataSchema, name: 'metadata endpoint' },
    transport,
  );
  return body;
}

// Not published at this address (a 4xx, or a page that is not JSON, as hosts that answer every
// path with their web app send): try the other well-known URL. A server error, a timeout or JSON
// that is not valid metadata is an answer, and is thrown.
function absent(error: unknown): boolean {
  if (error instanceof ProviderError) return error.status >= 400 && error.status < 500;
  return error instanceof ResponseValidationError && error.field === '(body)';
}

/** The metadata's endpoints follow the options' rule: https, unless loopback or `allowInsecureHttp`. */
function checkEndpoint(value: string, field: string, allowHttp: boolean, transport: Transport): void {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  const ok =
    url !== undefined &&
    url.username === '' &&
    url.password === '' &&
    (url.protocol === 'https:' || (url.protocol === 'http:' && (allowHttp || isLoopbackHost(url.hostname))));
  if (!ok) {
    throw new ResponseValidationError(
      `The ${transport.provider} metadata's ${field} must be an https URL (plain http only for loopback hosts, or with allowInsecureHttp)`,
      { provider: transport.provider, field },
    );
  }
}
