// @ts-check
// The one application every runtime serves (workerd, Hono on Node, Bun, Deno): a Layer client
// pointed at the sandbox and the two @fintoken/web handlers. Each runtime's entry only adapts
// its own server API to `(request) => Promise<Response>`, so the contract test proves the
// runtime, not a different app per runtime.
import { createLayerClient } from '@fintoken/layer';
import { businessTokenRoute, withToken } from '@fintoken/web';

/**
 * @typedef {{ LAYER_CLIENT_ID: string, LAYER_CLIENT_SECRET: string, LAYER_AUTH_URL: string, LAYER_API_URL: string }} AppEnv
 */

/**
 * @param {AppEnv} env credentials and sandbox URLs (process env, Workers bindings or Deno.env)
 * @returns {(request: Request) => Promise<Response>}
 */
export function createApp(env) {
  const layer = createLayerClient({
    clientId: env.LAYER_CLIENT_ID,
    clientSecret: env.LAYER_CLIENT_SECRET,
    environment: 'sandbox',
    authUrl: env.LAYER_AUTH_URL,
    apiUrl: env.LAYER_API_URL,
  });
  // Stands in for the application's session: a real app reads its signed session here, never a
  // header the browser controls. Absent header: nobody signed in, so 403.
  const token = businessTokenRoute({ client: layer, authorize: (request) => request.headers.get('x-demo-business') });
  // A server-side call to the provider with the client token (not a business token).
  const whoami = withToken({ client: layer }, async (_request, { fetch }) => {
    const res = await fetch('/whoami');
    return Response.json(await res.json(), { status: res.status });
  });
  return async (request) => {
    const { pathname } = new URL(request.url);
    if (pathname === '/api/layer-token') return token(request);
    if (pathname === '/api/whoami') return whoami(request);
    return new Response('not found', { status: 404 });
  };
}

/**
 * The app's settings from a plain record of strings, checked once at startup.
 * @param {Record<string, string | undefined>} source
 * @returns {AppEnv}
 */
export function appEnv(source) {
  /** @type {Record<string, string>} */
  const env = {};
  for (const name of ['LAYER_CLIENT_ID', 'LAYER_CLIENT_SECRET', 'LAYER_AUTH_URL', 'LAYER_API_URL']) {
    const value = source[name];
    if (!value) throw new Error(`${name} is not set`);
    env[name] = value;
  }
  return /** @type {AppEnv} */ (env);
}
