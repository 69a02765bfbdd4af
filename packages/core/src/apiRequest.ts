import type { Response } from 'undici';
import type * as z from 'zod/mini';
import { readCappedText } from './bytes.js';
import { ResponseValidationError } from './errors.js';
import { checkResponse, type EndpointSpec } from './tokenEndpoint.js';
import type { Transport } from './transport.js';

/**
 * Read an API response into a validated body or the typed error it stands for, through the same
 * mapping as token endpoints (status -> ProviderError/AuthenticationError, redacted provider
 * text, zod schema -> ResponseValidationError), with the body capped.
 */
export async function readApiResponse<S extends z.core.$ZodType>(response: Response, spec: EndpointSpec<S>, transport: Transport): Promise<z.infer<S>> {
  const text = await readCapped(response, transport);
  const headers: Record<string, string | undefined> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  return checkResponse({ status: response.status, headers, text }, spec, transport);
}

function readCapped(response: Response, transport: Transport): Promise<string> {
  return readCappedText(
    response.body as ReadableStream<Uint8Array> | null,
    transport.maxBodyBytes,
    () =>
      new ResponseValidationError(`The ${transport.provider} API answered with more than ${transport.maxBodyBytes} bytes`, {
        provider: transport.provider,
        field: '(body)',
        status: response.status,
      }),
  );
}
