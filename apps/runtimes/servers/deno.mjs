// @ts-nocheck Deno's globals are not in this package's types.
// Deno.serve on 127.0.0.1, a free port; prints `listening <port>` for the test.
import { appEnv, createApp } from './app.mjs';

const app = createApp(appEnv(Deno.env.toObject()));
Deno.serve({ hostname: '127.0.0.1', port: 0, onListen: ({ port }) => console.log(`listening ${port}`) }, app);
