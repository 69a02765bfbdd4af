export { startSandbox } from './sandbox.js';
export { endpointNames, providerNames } from './endpoints.js';
export { defaultTokenTtl, layerScopes } from './options.js';
export type { EndpointName, ProviderName } from './endpoints.js';
export type {
  Fault,
  FaultBody,
  LayerEnvironment,
  Sandbox,
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
