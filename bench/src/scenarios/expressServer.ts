// Child-process entry for scenario 4: an Express 5 app with two routes, so the load generator
// (autocannon, in the parent) does not share this event loop.
//   POST /bare   a bare JSON handler (`res.json`, as users write it) returning a token-shaped body
//   POST /raw    the same body with Node's own `res.end(JSON.stringify(...))`: no ETag, the floor
//   POST /token  @fintoken/express businessTokenHandler with a Layer client (sandbox)
import { remainingSeconds } from '@fintoken/core';
import { businessTokenHandler } from '@fintoken/express';
import { createLayerClient } from '@fintoken/layer';
import express from 'express';

interface ServerConfig {
  authUrl: string;
  apiUrl: string;
  clientId: string;
  clientSecret: string;
  businessId: string;
}

// Credentials come over IPC, not argv, where any local user could read them with `ps`.
const config = await new Promise<ServerConfig>((resolve) => process.once('message', (m: ServerConfig) => resolve(m)));
const layer = createLayerClient({
  clientId: config.clientId,
  clientSecret: config.clientSecret,
  environment: 'sandbox',
  authUrl: config.authUrl,
  apiUrl: config.apiUrl,
});
// The bare route answers with a token of the same size, so both bodies weigh the same.
const sample = await layer.getBusinessToken(config.businessId);

const app = express();
app.disable('x-powered-by');
const body = () => ({
  access_token: sample.accessToken,
  token_type: sample.tokenType,
  expires_in: remainingSeconds(sample, Date.now()),
  business_id: config.businessId,
});
app.post('/bare', (_req, res) => {
  res.set('Cache-Control', 'no-store').json(body());
});
app.post('/raw', (_req, res) => {
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(body()));
});
app.post('/token', businessTokenHandler({ client: layer, authorize: () => config.businessId }));

const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.send?.({ type: 'ready', port: typeof address === 'object' && address !== null ? address.port : 0 });
});
process.on('disconnect', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
