import type { EndpointName, Fault } from '@fintoken/sandbox';

export interface SandboxAdmin {
  inject(endpoint: EndpointName, fault: Fault): Promise<void>;
  clear(endpoint: EndpointName): Promise<void>;
}

/**
 * The sandbox's admin HTTP API (`/__admin`), used even for the embedded sandbox so the demo works
 * the same against one started with the `fintoken-sandbox` CLI (SANDBOX_URL).
 */
export function createSandboxAdmin(adminUrl: string): SandboxAdmin {
  const base = adminUrl.replace(/\/+$/, '');
  async function send(method: string, path: string, body?: unknown): Promise<void> {
    const response = await fetch(`${base}${path}`, {
      method,
      signal: AbortSignal.timeout(5_000),
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    await response.body?.cancel();
    if (!response.ok) throw new Error(`sandbox admin ${method} ${path} answered ${response.status}`);
  }
  return {
    inject: (endpoint, fault) => send('POST', '/faults', { endpoint, fault }),
    clear: (endpoint) => send('DELETE', `/faults?endpoint=${encodeURIComponent(endpoint)}`),
  };
}
