// Child-process entry for scenario 4: an Express 5 app with two routes, so the load generator
// (autocannon, in the parent) does not share this event loop.
//   POST /bare   a bare JSON handler (`res.json`, as users write it) returning a token-shaped body
//   POST /raw    the same body with Node's own `res.end(JSON.stringify(...))`: no ETag, the floor
//   POST /token  @fintoken/express businessTokenHandler with a Layer client (sandbox)
import { businessTokenHandler } from '@fintoken/express';
import express from 'express';
import { announce, setUpTokenServer } from './tokenServerSetup.js';

const { businessId, layer, body } = await setUpTokenServer();

const app = express();
app.disable('x-powered-by');
app.post('/bare', (_req, res) => {
  res.set('Cache-Control', 'no-store').json(body());
});
app.post('/raw', (_req, res) => {
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(body()));
});
app.post('/token', businessTokenHandler({ client: layer, authorize: () => businessId }));

announce(app.listen(0, '127.0.0.1'));
