// @ts-nocheck Bun's globals are not in this package's types.
// Bun.serve on 127.0.0.1, a free port; prints `listening <port>` for the test.
import { appEnv, createApp } from './app.mjs';

const app = createApp(appEnv(process.env));
const server = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: app });
console.log(`listening ${server.port}`);
