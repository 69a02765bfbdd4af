import { badgateway } from './badgateway.js';
import { fintoken } from './fintoken.js';
import { oauth4webapi } from './oauth4webapi.js';
import { openidClient } from './openidClient.js';
import { simpleOauth2 } from './simpleOauth2.js';
import { typical } from './typical.js';
import type { PeerDefinition } from './types.js';

export { badgateway, fintoken, oauth4webapi, openidClient, simpleOauth2, typical };

/** fintoken first, then the peers: caching ones, then the ones that request every time. */
export const allPeers: readonly PeerDefinition[] = [fintoken, badgateway, simpleOauth2, typical, openidClient, oauth4webapi];
