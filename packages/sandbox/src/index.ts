export { startSandbox } from './sandbox.js';
export { formatBanner } from './banner.js';
export { stopOnSignals } from './runCli.js';
export { endpointNames, providerNames } from './endpoints.js';
export { defaultTokenTtl, layerScopes } from './options.js';
export type { EndpointName, ProviderName } from './endpoints.js';
export type { ApiRequestRecord, ApiRequestSummary } from './apiRequestLog.js';
export type {
  Fault,
  FaultBody,
  LayerEnvironment,
  Sandbox,
  SandboxApiRequests,
  SandboxBusinesses,
  SandboxClock,
  SandboxCredentials,
  SandboxFaults,
  SandboxJwks,
  SandboxOptions,
  SandboxStats,
  SandboxUrls,
  TokenTtlName,
} from './types.js';
