import { startLayerReactApp } from './server.js';

// PORT picks the port (default 3001, next to the demo's 3000); the sandbox is started in-process.
const port = process.env.PORT === undefined ? 3001 : Number(process.env.PORT);
const app = await startLayerReactApp({ port });
process.stderr.write(`\n  fintoken + Layer's React components: ${app.url}\n  Ctrl+C to stop\n\n`);
const stop = (signal: NodeJS.Signals) => {
  process.stderr.write(`\n  ${signal}: stopping\n`);
  app.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
