import type { CommonOptions, CredentialInput } from '@fintoken/core';
import { commonOptionsShape, idOption, insecureHttpAllowed, parseOptions, secretOption, urlOption } from '@fintoken/core/provider';
import * as z from '@fintoken/core/schema';

/** Options of `createLayer1Client`. */
export interface Layer1ClientOptions extends CommonOptions {
  clientId: string;
  /** A string, or a function returning it (a secrets manager): read on first use and again when Keycloak answers `invalid_client`. */
  clientSecret: CredentialInput<string>;
  /**
   * Full URL of the realm's token endpoint, e.g.
   * `https://auth.example.com/realms/{realm}/protocol/openid-connect/token`. Required: the seed
   * leaves it blank, so it comes from Layer1 with the credentials.
   */
  tokenUrl: string;
  /** Origin (plus optional path prefix) of the Layer1 API, for `client.fetch(path)`. */
  apiUrl?: string;
}

// https except for loopback (or allowInsecureHttp): the body carries the client secret.
const schema = (allowHttp: boolean) =>
  z.strictObject({
    ...commonOptionsShape,
    clientId: idOption(),
    clientSecret: secretOption(),
    tokenUrl: urlOption({ allowHttp }),
    apiUrl: z.optional(urlOption({ allowHttp })),
  });

/** Validate the factory's options once (ConfigurationError naming each bad field, never its value). */
export function parseLayer1Options(input: unknown): Layer1ClientOptions {
  return parseOptions(schema(insecureHttpAllowed(input)), input, 'createLayer1Client');
}
