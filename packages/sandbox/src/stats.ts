import { endpointNames, type EndpointName } from './endpoints.js';
import type { SandboxStats } from './types.js';

export interface Stats extends SandboxStats {
  increment(endpoint: EndpointName): void;
}

function zeroes(): Record<EndpointName, number> {
  return Object.fromEntries(endpointNames.map((name) => [name, 0])) as Record<EndpointName, number>;
}

export function createStats(): Stats {
  let counts = zeroes();
  return {
    increment(endpoint) {
      counts[endpoint] += 1;
    },
    count: (endpoint) => counts[endpoint] ?? 0,
    snapshot: () => ({ ...counts }),
    reset() {
      counts = zeroes();
    },
  };
}
