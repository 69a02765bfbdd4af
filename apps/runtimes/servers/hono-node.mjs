// @ts-check
// Hono on Node through @hono/node-server, on 127.0.0.1, a free port; prints `listening <port>`.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { appEnv, createApp } from './app.mjs';

const app = createApp(appEnv(process.env));
const hono = new Hono();
// Hono hands the route the standard Request (`c.req.raw`) and sends the Response as it is.
hono.all('/api/*', (c) => app(c.req.raw));
serve({ fetch: hono.fetch, hostname: '127.0.0.1', port: 0 }, (info) => console.log(`listening ${info.port}`));
