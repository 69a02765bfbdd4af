import type { Clients } from './clients.js';
import type { Connections } from './connections.js';
import type { EventHub } from './events.js';
import type { Logger } from './logger.js';
import type { SandboxAdmin } from './sandboxAdmin.js';
import type { Sessions } from './session.js';
import type { DemoTelemetry } from './telemetry.js';
import type { Directory } from './users.js';

/** What the routes share. */
export interface DemoContext {
  clients: Clients;
  connections: Connections;
  directory: Directory;
  sessions: Sessions;
  hub: EventHub;
  /** The clients' metrics, served on GET /metrics. */
  telemetry: DemoTelemetry;
  logger: Logger;
  /** The sandbox admin API; undefined when every provider is live. */
  admin?: SandboxAdmin;
  /** The React sample (apps/layer-react) started alongside, for the page's link (set once it listens). */
  layerReactUrl?: string;
  /** The interface the demo listens on (HOST): the one Host name it answers besides loopback. */
  host: string;
}
