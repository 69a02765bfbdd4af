import { AuthenticationError, ProviderError, ResponseValidationError, type AuthorizedFetch, type Redactor, type Token } from '@fintoken/core';
import { z } from 'zod';
import { parseLayerError } from './apiError.js';
import type { LayerTokenRequest } from './request.js';

// seed: layer-authentication, "Make an authenticated request": {"data": {"type": "whoami", ...}}.
const whoamiSchema = z.object({
  data: z.object({ type: z.literal('whoami'), clientName: z.string(), clientId: z.string() }),
});

/** Who Layer says the client credentials belong to. */
export type LayerWhoami = z.infer<typeof whoamiSchema>['data'];

interface WhoamiClient {
  getToken(request?: LayerTokenRequest): Promise<Token>;
  fetch: AuthorizedFetch<LayerTokenRequest>;
}

/** `GET {apiUrl}/whoami` with the client token: confirms the credentials work (seed). */
export async function whoami(client: WhoamiClient, redact: Redactor, signal?: AbortSignal): Promise<LayerWhoami> {
  // Tokens need not be JWTs: remember the ones in play so an error body echoing one is scrubbed.
  redact.add((await client.getToken(signal === undefined ? undefined : { signal })).accessToken);
  const response = await client.fetch('/whoami', { method: 'GET', headers: { accept: 'application/json' }, ...(signal ? { signal } : {}) });
  const text = await response.text();
  if (response.status === 401) redact.add((await client.getToken()).accessToken);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (!response.ok) throw whoamiError(response.status, json, redact);
  const parsed = whoamiSchema.safeParse(json);
  if (parsed.success) return parsed.data.data;
  const issue = parsed.error.issues[0];
  const field = issue === undefined || issue.path.length === 0 ? '(body)' : issue.path.join('.');
  throw new ResponseValidationError(`The layer whoami endpoint answered with an invalid body: ${field}: ${issue?.message ?? 'not JSON'}`, {
    provider: 'layer',
    field,
    status: response.status,
  });
}

function whoamiError(status: number, body: unknown, redact: Redactor): ProviderError {
  const details = parseLayerError(status, body);
  const clip = (text: string) => redact(text).slice(0, 200);
  let message = `The layer whoami endpoint answered ${status}`;
  if (details?.type !== undefined) message += ` ${clip(details.errorEnum ?? details.type)}: ${clip(details.description ?? '')}`;
  const options = {
    provider: 'layer',
    status,
    ...(details?.type === undefined ? {} : { type: clip(details.type), providerCode: clip(details.errorEnum ?? details.type) }),
    ...(details?.errorEnum === undefined ? {} : { errorEnum: clip(details.errorEnum) }),
  };
  return status === 401 ? new AuthenticationError(`${message}. Check the credentials.`, options) : new ProviderError(message, options);
}
