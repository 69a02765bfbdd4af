// What the load scenarios' child servers (Express, Web) share: credentials over IPC, a Layer
// client against the sandbox, and a token-shaped body of the same size for their bare routes.
import { remainingSeconds } from '@fintoken/core';
import { createLayerClient } from '@fintoken/layer';

interface ServerConfig {
  authUrl: string;
  apiUrl: string;
  clientId: string;
  clientSecret: string;
  businessId: string;
}

export async function setUpTokenServer() {
  // Credentials come over IPC, not argv, where any local user could read them with `ps`.
  const config = await new Promise<ServerConfig>((resolve) => process.once('message', (m: ServerConfig) => resolve(m)));
  const layer = createLayerClient({
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    environment: 'sandbox',
    authUrl: config.authUrl,
    apiUrl: config.apiUrl,
  });
  // The bare routes answer with a token of the same size, so all bodies weigh the same.
  const sample = await layer.getBusinessToken(config.businessId);
  const body = () => ({
    access_token: sample.accessToken,
    token_type: sample.tokenType,
    expires_in: remainingSeconds(sample, Date.now()),
    business_id: config.businessId,
  });
  return { businessId: config.businessId, layer, body };
}

/** Tell the parent the port; close and exit when it disconnects. */
export function announce(server: import('node:http').Server): void {
  server.once('listening', () => {
    const address = server.address();
    process.send?.({ type: 'ready', port: typeof address === 'object' && address !== null ? address.port : 0 });
  });
  process.on('disconnect', () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}
