import { createAssetClient, type AssetClient } from '@fintoken/asset';
import type { EventListener } from '@fintoken/core';
import { createLayerClient, type LayerClient } from '@fintoken/layer';
import { createLayer1Client, type Layer1Client } from '@fintoken/layer1';
import { createThredfiClient, type ThredfiClient } from '@fintoken/thredfi';
import type { Connections } from './connections.js';

export interface Clients {
  layer: LayerClient;
  thredfi: ThredfiClient;
  asset: AssetClient;
  layer1: Layer1Client;
}

/**
 * One client per provider, each with its own in-memory cache. A fleet of demo servers would add
 * `store: createRedisStore({ client })` from @fintoken/redis here, and nothing else would change.
 */
export function createClients(connections: Connections, onEvent: EventListener): Clients {
  return {
    layer: createLayerClient({ ...connections.layer.options, onEvent }),
    thredfi: createThredfiClient({ ...connections.thredfi.options, onEvent }),
    asset: createAssetClient({ ...connections.asset.options, onEvent }),
    layer1: createLayer1Client({ ...connections.layer1.options, onEvent }),
  };
}
