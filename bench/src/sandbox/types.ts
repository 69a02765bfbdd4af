import type { EndpointName, Fault, SandboxOptions } from '@fintoken/sandbox';

/** What a started sandbox gives the benchmark: addresses, credentials and its admin controls. */
export interface BenchSandbox {
  url: string;
  tokenUrl: string;
  /** Origin of the Layer1 API (`GET {apiUrl}/api/v1/tenants`). */
  layer1ApiUrl: string;
  credentials: { clientId: string; clientSecret: string };
  layer: { authUrl: string; apiUrl: string; clientId: string; clientSecret: string; businessId: string };
  thredfi: { baseUrl: string; partnerId: string; apiKey: string };
  asset: { baseUrl: string; clientId: string; clientSecret: string };
  count(endpoint: EndpointName): Promise<number>;
  reset(): Promise<void>;
  setSkewMs(ms: number): Promise<void>;
  inject(endpoint: EndpointName, fault: Fault | Fault[]): Promise<void>;
  clearFaults(): Promise<void>;
  close(): Promise<void>;
}

export type BenchSandboxOptions = Pick<SandboxOptions, 'tokenTtl' | 'seed'>;

/** Everything a sandbox started elsewhere reports back (its admin API does the rest). */
export interface SandboxInfo {
  url: string;
  admin: string;
  tokenUrl: string;
  layer1ApiUrl: string;
  credentials: BenchSandbox['credentials'];
  layer: BenchSandbox['layer'];
  thredfi: BenchSandbox['thredfi'];
  asset: BenchSandbox['asset'];
}
