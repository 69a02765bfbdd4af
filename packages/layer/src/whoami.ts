import type { ProviderClient } from '@fintoken/core';
import * as z from '@fintoken/core/schema';
import { parseLayerError } from './errors.js';
import type { LayerTokenRequest } from './request.js';

// seed: layer-authentication, "Make an authenticated request": {"data": {"type": "whoami", ...}}.
const whoamiSchema = z.object({
  data: z.object({ type: z.literal('whoami'), clientName: z.string(), clientId: z.string() }),
});

/** Who Layer says the client credentials belong to. */
export type LayerWhoami = z.infer<typeof whoamiSchema>['data'];

/** `GET {apiUrl}/whoami` with the client token: confirms the credentials work (seed). */
export async function whoami(client: ProviderClient<LayerTokenRequest>, signal?: AbortSignal): Promise<LayerWhoami> {
  const body = await client.requestJson(
    '/whoami',
    { schema: whoamiSchema, parseError: parseLayerError, name: 'whoami endpoint' },
    signal === undefined ? {} : { signal },
  );
  return body.data;
}
