import { alphanumeric, type Derivation } from './random.js';
import type { ProviderName } from './endpoints.js';
import type { SandboxCredentials } from './types.js';

/**
 * Replace a provider's secret, as an operator rotating it in the provider's console would: the
 * old one is refused from the next request on (the emulators read the credentials per request).
 * Deterministic per seed and rotation count, in the shape each provider issues.
 */
export function createRotation(credentials: SandboxCredentials, d: Derivation): (provider: ProviderName) => string {
  const rotations: Record<ProviderName, number> = { layer: 0, thredfi: 0, asset: 0, layer1: 0 };
  return (provider) => {
    const n = ++rotations[provider];
    const fresh = (length: number) => d.string(`${provider}.secret.rotation.${n}`, alphanumeric, length);
    switch (provider) {
      case 'thredfi':
        return (credentials.thredfi.apiKey = `sk_test_${fresh(32)}`);
      case 'layer':
        return (credentials.layer.clientSecret = fresh(40));
      case 'asset':
        return (credentials.asset.clientSecret = fresh(40));
      case 'layer1':
        return (credentials.layer1.clientSecret = fresh(32));
    }
  };
}
