import * as z from '@fintoken/core/schema';

const strings = () => z.optional(z.array(z.string()));

/**
 * The authorization server metadata the client uses (RFC 8414 §2, OpenID Connect Discovery §3,
 * RFC 8705 §5, RFC 9449 §5.1); other members are allowed and ignored.
 */
export const serverMetadataSchema = z.looseObject({
  issuer: z.string().check(z.minLength(1)),
  token_endpoint: z.string().check(z.minLength(1)),
  token_endpoint_auth_methods_supported: strings(),
  token_endpoint_auth_signing_alg_values_supported: strings(),
  dpop_signing_alg_values_supported: strings(),
  // RFC 8705 §5: endpoints a client using mutual TLS must call instead.
  mtls_endpoint_aliases: z.optional(z.looseObject({ token_endpoint: z.optional(z.string().check(z.minLength(1))) })),
});

export type ServerMetadata = z.infer<typeof serverMetadataSchema>;

/** What the client knows of the server: discovered, or only the token endpoint it was given. */
export interface ServerInfo {
  /** The discovered or configured issuer, when there is one (the assertions' default audience). */
  issuer: string | undefined;
  tokenEndpoint: string;
  /** RFC 8705 §5 `mtls_endpoint_aliases.token_endpoint`. */
  mtlsTokenEndpoint: string | undefined;
  authMethods: string[] | undefined;
  assertionAlgorithms: string[] | undefined;
  dpopAlgorithms: string[] | undefined;
}

export function serverInfo(metadata: ServerMetadata): ServerInfo {
  return {
    issuer: metadata.issuer,
    tokenEndpoint: metadata.token_endpoint,
    mtlsTokenEndpoint: metadata.mtls_endpoint_aliases?.token_endpoint,
    authMethods: metadata.token_endpoint_auth_methods_supported,
    assertionAlgorithms: metadata.token_endpoint_auth_signing_alg_values_supported,
    dpopAlgorithms: metadata.dpop_signing_alg_values_supported,
  };
}
