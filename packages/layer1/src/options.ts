import { commonOptionsShape, parseOptions, urlOption, type CommonOptions } from '@fintoken/core';
import { z } from 'zod';

/** Options of `createLayer1Client`. */
export interface Layer1ClientOptions extends CommonOptions {
  clientId: string;
  clientSecret: string;
  /**
   * Full URL of the realm's token endpoint, e.g.
   * `https://auth.example.com/realms/{realm}/protocol/openid-connect/token`. Required: the seed
   * leaves it blank, so it comes from Layer1 with the credentials.
   */
  tokenUrl: string;
  /** Origin (plus optional path prefix) of the Layer1 API, for `client.fetch(path)`. */
  apiUrl?: string;
}

const layer1OptionsSchema = z
  .object({
    ...commonOptionsShape,
    clientId: z.string().min(1),
    clientSecret: z.string().min(1),
    // https except for loopback: the body carries the client secret.
    tokenUrl: urlOption(),
    apiUrl: urlOption().optional(),
  })
  .strict();

/** Validate the factory's options once (ConfigurationError naming each bad field, never its value). */
export function parseLayer1Options(input: unknown): Layer1ClientOptions {
  return parseOptions(layer1OptionsSchema, input, 'createLayer1Client');
}
