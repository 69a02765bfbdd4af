import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Sandbox } from '@fintoken/sandbox';
import { createApp } from './app.js';
import type { DemoContext } from './context.js';
import { createClients, type Clients } from './clients.js';
import { readConfig, type Env } from './config.js';
import { connect, resolveSandbox, type Mode } from './connections.js';
import { createEventHub } from './events.js';
import { startLayerReactAlongside } from './layerReact.js';
import { createLogger, type LogSink } from './logger.js';
import { providerIds, type ProviderId } from './providers.js';
import { createSandboxAdmin } from './sandboxAdmin.js';
import { createDemoTelemetry } from './telemetry.js';
import { createSessions } from './session.js';
import { buildDirectory } from './users.js';

export interface DemoOptions {
  /** Default: PORT from `env`, else 3000. 0 picks a free port. */
  port?: number;
  /** Default: HOST from `env`, else 127.0.0.1. */
  host?: string;
  /** Where configuration comes from. Default `process.env`. */
  env?: Env;
  /** Where the JSON log lines go. Default stdout. */
  log?: LogSink;
}

export interface Demo {
  url: string;
  /** Which providers use the sandbox and which the real provider. */
  modes: Record<ProviderId, Mode>;
  /** The embedded sandbox, when the demo started one. */
  sandbox?: Sandbox;
  /** The React sample started alongside (apps/layer-react), which the page links to. */
  layerReactUrl: string;
  /** The server-side clients (for inspection and tests; their tokens never leave the server). */
  clients: Clients;
  close(): Promise<void>;
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

const origin = ({ address, port }: AddressInfo) => `http://${address.includes(':') ? `[${address}]` : address}:${port}`;

/**
 * Start the demo: the embedded sandbox for every provider without real credentials, one fintoken
 * client per provider, and the Express app serving the page and its API.
 *
 * @example
 * const demo = await startDemo({ port: 0, env: {} });
 * console.log(demo.url);
 * await demo.close();
 */
export async function startDemo(options: DemoOptions = {}): Promise<Demo> {
  const config = readConfig(options.env ?? process.env, {
    ...(options.port === undefined ? {} : { port: options.port }),
    ...(options.host === undefined ? {} : { host: options.host }),
  });
  const logger = createLogger(options.log);
  const hub = createEventHub(logger);
  const sandbox = await resolveSandbox(config);
  let layerReact: Awaited<ReturnType<typeof startLayerReactAlongside>> | undefined;
  let server: Server | undefined;
  try {
    const connections = connect(config, sandbox);
    // Every series at zero from the first scrape, per provider the demo serves.
    const telemetry = createDemoTelemetry(providerIds);
    const clients = createClients(connections, (event) => {
      hub.listener(event);
      telemetry.onEvent(event);
    });
    const directory = buildDirectory(connections, sandbox, config.businesses);
    const sessions = createSessions({ secret: config.sessionSecret, users: () => directory.keys() });
    const admin = sandbox === undefined ? undefined : createSandboxAdmin(sandbox.urls.admin);
    const streams = new Set<() => void>();
    const ctx: DemoContext = { clients, connections, directory, sessions, hub, telemetry, logger, host: config.host, ...(admin ? { admin } : {}) };
    server = createServer(createApp(ctx, streams));
    const url = origin(await listen(server, config.port, config.host));
    // The React sample links back here, and its Layer client's token traffic shows on our /metrics.
    layerReact = await startLayerReactAlongside(config.port, config.host, sandbox?.embedded, { demoUrl: url, onEvent: telemetry.onEvent });
    ctx.layerReactUrl = layerReact.url;
    const layerReactUrl = layerReact.url;
    const listening = server;
    const modes = Object.fromEntries(providerIds.map((id) => [id, connections[id].mode])) as Record<ProviderId, Mode>;
    logger.log({ type: 'demo.started', url, providers: modes, sandbox: sandbox?.embedded ? 'embedded' : sandbox ? 'external' : 'none' });

    let closing: Promise<void> | undefined;
    const close = () =>
      (closing ??= (async () => {
        for (const end of [...streams]) end();
        await new Promise<void>((resolve) => {
          listening.close(() => resolve());
          listening.closeAllConnections();
        });
        await layerReact?.close();
        await telemetry.shutdown();
        await sandbox?.embedded?.close();
      })());
    return { url, modes, clients, close, layerReactUrl, ...(sandbox?.embedded ? { sandbox: sandbox.embedded } : {}) };
  } catch (error) {
    server?.closeAllConnections();
    server?.close();
    await layerReact?.close();
    await sandbox?.embedded?.close();
    throw error;
  }
}
