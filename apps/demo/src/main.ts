import { DemoConfigError } from './config.js';
import { startDemo } from './server.js';

// Node 20.12+: read apps/demo/.env when there is one; the real environment wins.
try {
  process.loadEnvFile();
} catch (error) {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
}

try {
  const demo = await startDemo();
  const live = Object.entries(demo.modes).filter(([, mode]) => mode === 'live').map(([id]) => id);
  process.stderr.write(
    `\n  fintoken demo: ${demo.url}\n  Layer's React components (apps/layer-react): ${demo.layerReactUrl}\n  ${live.length === 0 ? 'all providers on the embedded sandbox' : `live: ${live.join(', ')}; the rest on the sandbox`}\n  Ctrl+C to stop\n\n`,
  );
  const stop = (signal: NodeJS.Signals) => {
    process.stderr.write(`\n  ${signal}: stopping\n`);
    demo.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  // A configuration error names the variable; anything else is a bug worth its stack.
  process.stderr.write(`fintoken demo: ${error instanceof DemoConfigError ? error.message : String((error as Error).stack ?? error)}\n`);
  process.exit(1);
}
