import { alphanumeric, base58, type Derivation } from './random.js';
import type { SandboxBusinesses, SandboxCredentials } from './types.js';

/** Keycloak realm in the Layer1 token URL; fixed so `urls.layer1.tokenUrl` is predictable. */
export const layer1Realm = 'fintoken';

export interface Fixtures {
  credentials: SandboxCredentials;
  businesses: SandboxBusinesses;
}

const times = <T>(n: number, make: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => make(i));

/** The credentials and businesses each emulator knows, derived from the seed. */
export function createFixtures(d: Derivation): Fixtures {
  // Asset's business ids look like biz_GA6EG2qFxA97NZHtxeLPUy (seed: asset-access-token).
  const assetBusiness = (label: string): string => `biz_${d.string(label, base58, 22)}`;
  return {
    credentials: {
      layer: {
        clientId: d.uuid('layer.clientId'),
        clientSecret: d.string('layer.clientSecret', alphanumeric, 40),
        clientName: 'Fintoken Sandbox',
      },
      thredfi: {
        partnerId: d.uuid('thredfi.partnerId'),
        // The seed's keys look like sk_live_abc123xyz789; a sandbox hands out test keys.
        apiKey: `sk_test_${d.string('thredfi.apiKey', alphanumeric, 32)}`,
      },
      asset: {
        clientId: `client_${d.string('asset.clientId', base58, 22)}`,
        clientSecret: d.string('asset.clientSecret', alphanumeric, 40),
      },
      layer1: {
        clientId: `fintoken-${d.string('layer1.clientId', alphanumeric, 8).toLowerCase()}`,
        clientSecret: d.string('layer1.clientSecret', alphanumeric, 32),
        realm: layer1Realm,
      },
    },
    businesses: {
      layer: {
        active: times(3, (i) => d.uuid(`layer.business.${i}`)),
        archived: d.uuid('layer.business.archived'),
      },
      thredfi: {
        owned: times(3, (i) => d.uuid(`thredfi.business.${i}`)),
        foreign: d.uuid('thredfi.business.foreign'),
      },
      asset: {
        allowed: times(3, (i) => assetBusiness(`asset.business.${i}`)),
        forbidden: assetBusiness('asset.business.forbidden'),
      },
    },
  };
}
