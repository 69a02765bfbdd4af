import { ASSET_BASE_URLS } from '@fintoken/asset';
import { startSandbox, type Sandbox, type SandboxBusinesses, type SandboxCredentials, type SandboxUrls } from '@fintoken/sandbox';
import type { AssetLive, DemoConfig, Layer1Live, LayerLive, ThredfiLive } from './config.js';
import type { ProviderId } from './providers.js';

export type Mode = 'sandbox' | 'live';

/** How the demo reaches one provider: the client options, and the API the page's proxy may forward to. */
export interface Connections {
  layer: { mode: Mode; options: LayerLive; apiUrl: string };
  thredfi: { mode: Mode; options: ThredfiLive; apiUrl: string };
  asset: { mode: Mode; options: AssetLive; apiUrl: string };
  layer1: { mode: Mode; options: Layer1Live; apiUrl?: string };
}

/** The sandbox the non-live providers use, started here or found at SANDBOX_URL. */
export interface SandboxTarget {
  /** Set when the demo started it (and so closes it). */
  embedded?: Sandbox;
  urls: SandboxUrls;
  credentials: SandboxCredentials;
  businesses: SandboxBusinesses;
}

// Layer's public hosts (seed: layer-authentication, "Environments"); the client has the same defaults.
const LAYER_API_URLS = { sandbox: 'https://sandbox.layerfi.com', production: 'https://api.layerfi.com' } as const;
const THREDFI_SANDBOX_URL = 'https://sandbox.thredfi.com';

// Short lifetimes so refresh-ahead and expiry can be watched within minutes.
const DEMO_TOKEN_TTL = { layer: 900, thredfi: 900, thredfiBusiness: 300, asset: 300, layer1: 120 };

async function externalSandbox(url: string): Promise<SandboxTarget> {
  const admin = new URL('/__admin/info', url);
  const response = await fetch(admin, { signal: AbortSignal.timeout(5_000) }).catch((error: unknown) => {
    throw new Error(`SANDBOX_URL: could not reach ${admin.origin} (${(error as Error).message})`);
  });
  if (!response.ok) throw new Error(`SANDBOX_URL: ${admin.href} answered ${response.status}; is it a @fintoken/sandbox?`);
  const info = (await response.json()) as Omit<SandboxTarget, 'embedded'>;
  return { urls: info.urls, credentials: info.credentials, businesses: info.businesses };
}

/** Start (or find) the sandbox only when some provider is not configured live. */
export async function resolveSandbox(config: DemoConfig): Promise<SandboxTarget | undefined> {
  const live = config.live;
  if (live.layer && live.thredfi && live.asset && live.layer1) return undefined;
  if (config.sandboxUrl !== undefined) return externalSandbox(config.sandboxUrl);
  const sandbox = await startSandbox({
    host: '127.0.0.1',
    port: 0,
    tokenTtl: DEMO_TOKEN_TTL,
    ...(config.sandboxSeed === undefined ? {} : { seed: config.sandboxSeed }),
  });
  return { embedded: sandbox, urls: sandbox.urls, credentials: sandbox.credentials, businesses: sandbox.businesses };
}

/** Per provider: the real sandbox when its credentials are set, the emulator otherwise. */
export function connect(config: DemoConfig, sandbox: SandboxTarget | undefined): Connections {
  const { live } = config;
  const need = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('unreachable: a provider without credentials needs the sandbox');
    return value;
  };
  const sb = () => need(sandbox);
  return {
    layer: live.layer
      ? { mode: 'live', options: live.layer, apiUrl: live.layer.apiUrl ?? LAYER_API_URLS[live.layer.environment] }
      : {
          mode: 'sandbox',
          options: {
            clientId: sb().credentials.layer.clientId,
            clientSecret: sb().credentials.layer.clientSecret,
            environment: 'sandbox',
            authUrl: sb().urls.layer.authUrl, apiUrl: sb().urls.layer.apiUrl },
          apiUrl: sb().urls.layer.apiUrl,
        },
    thredfi: live.thredfi
      ? { mode: 'live', options: live.thredfi, apiUrl: live.thredfi.baseUrl ?? THREDFI_SANDBOX_URL }
      : {
          mode: 'sandbox',
          options: { ...sb().credentials.thredfi, environment: 'sandbox', baseUrl: sb().urls.thredfi.baseUrl },
          apiUrl: sb().urls.thredfi.baseUrl,
        },
    asset: live.asset
      ? { mode: 'live', options: live.asset, apiUrl: live.asset.baseUrl ?? ASSET_BASE_URLS[live.asset.environment] }
      : {
          mode: 'sandbox',
          options: { ...sb().credentials.asset, environment: 'sandbox', baseUrl: sb().urls.asset.baseUrl },
          apiUrl: sb().urls.asset.baseUrl,
        },
    layer1: live.layer1
      ? { mode: 'live', options: live.layer1, apiUrl: live.layer1.apiUrl }
      : {
          mode: 'sandbox',
          options: {
            clientId: sb().credentials.layer1.clientId,
            clientSecret: sb().credentials.layer1.clientSecret,
            tokenUrl: sb().urls.layer1.tokenUrl,
            apiUrl: sb().urls.layer1.apiUrl,
          },
          apiUrl: sb().urls.layer1.apiUrl,
        },
  };
}

export const modeOf = (connections: Connections, provider: ProviderId): Mode => connections[provider].mode;
