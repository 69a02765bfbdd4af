import { isEndpointName, type EndpointName } from './endpoints.js';
import { validateFault } from './faultSchema.js';
import type { Fault, SandboxFaults } from './types.js';

interface Queued {
  fault: Fault;
  remaining: number;
}

/** A queued fault as JSON can carry it: Infinity is spelled "Infinity". */
export interface PendingFault extends Omit<Fault, 'times'> {
  times?: number | 'Infinity';
  remaining: number | 'Infinity';
}

const jsonCount = (n: number): number | 'Infinity' => (Number.isFinite(n) ? n : 'Infinity');

export interface FaultStore extends SandboxFaults {
  /** The fault that applies to this request, if any; consumes one of its `times`. */
  take(endpoint: EndpointName): Fault | undefined;
  pending(): Partial<Record<EndpointName, PendingFault[]>>;
}

/**
 * Per-endpoint FIFO queues of faults: the head applies until its `times` are used up, so
 * `[{status: 503, times: 3}, {}]`-style sequences play out in order.
 */
export function createFaultStore(random: () => number): FaultStore {
  const queues = new Map<EndpointName, Queued[]>();
  return {
    inject(endpoint, fault) {
      if (!isEndpointName(endpoint)) throw new TypeError(`Unknown endpoint: ${String(endpoint)}`);
      const faults = (Array.isArray(fault) ? fault : [fault]).map(validateFault);
      const queue = queues.get(endpoint) ?? [];
      for (const f of faults) queue.push({ fault: f, remaining: f.times ?? 1 });
      queues.set(endpoint, queue);
    },
    clear(endpoint) {
      if (endpoint === undefined) queues.clear();
      else queues.delete(endpoint);
    },
    take(endpoint) {
      const queue = queues.get(endpoint);
      const head = queue?.[0];
      if (!queue || !head) return undefined;
      // A fault that does not fire this time stays queued with its count intact.
      if (head.fault.probability !== undefined && random() >= head.fault.probability) return undefined;
      head.remaining -= 1;
      if (head.remaining <= 0) queue.shift();
      if (queue.length === 0) queues.delete(endpoint);
      return head.fault;
    },
    pending() {
      const out: Partial<Record<EndpointName, PendingFault[]>> = {};
      for (const [endpoint, queue] of queues) {
        out[endpoint] = queue.map(({ fault, remaining }) => ({
          ...fault,
          ...(fault.times !== undefined && { times: jsonCount(fault.times) }),
          remaining: jsonCount(remaining),
        }));
      }
      return out;
    },
  };
}
