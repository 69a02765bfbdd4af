import { createLayerClient } from '@fintoken/layer';
import { businessTokenRoute, withToken } from '@fintoken/web';
import { sessionBusinessId } from './session';

/** A setting from the server's environment; missing means the deployment is misconfigured. */
function setting(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

/**
 * Built on the first request, not at import: `next build` imports route modules to read their
 * config, where the server's secrets are (rightly) absent. One client per server process (or
 * edge isolate), so its token cache is shared by every request that reaches it.
 */
let handlers: { token: (request: Request) => Promise<Response>; whoami: (request: Request) => Promise<Response> } | undefined;

function fintoken() {
  if (handlers !== undefined) return handlers;
  const layer = createLayerClient({
    clientId: setting('LAYER_CLIENT_ID'),
    clientSecret: setting('LAYER_CLIENT_SECRET'),
    environment: 'sandbox',
    // Unset: Layer's own URLs. The tests point these at the local sandbox.
    ...(process.env.LAYER_AUTH_URL ? { authUrl: process.env.LAYER_AUTH_URL } : {}),
    ...(process.env.LAYER_API_URL ? { apiUrl: process.env.LAYER_API_URL } : {}),
  });
  handlers = {
    // The browser's token for LayerProvider: scoped to the signed-in user's business only.
    token: businessTokenRoute({ client: layer, authorize: sessionBusinessId }),
    // A server-side call with the client token.
    whoami: withToken({ client: layer }, async (_request, { fetch }) => {
      const res = await fetch('/whoami');
      return Response.json(await res.json(), { status: res.status });
    }),
  };
  return handlers;
}

export const layerTokenRoute = (request: Request) => fintoken().token(request);
export const whoamiRoute = (request: Request) => fintoken().whoami(request);
