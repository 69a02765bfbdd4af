import { createLayer1Client } from '@fintoken/layer1';
import type { Token } from '@fintoken/core';
import type { PeerDefinition } from './types.js';

/** fintoken's Layer1 client, as its README shows it. */
export const fintoken: PeerDefinition = {
  name: 'fintoken',
  api: 'createLayer1Client().getToken()',
  caching: 'cache + single-flight + refresh-ahead',
  create({ tokenUrl, clientId, clientSecret, apiUrl }) {
    const client = createLayer1Client({ clientId, clientSecret, tokenUrl, apiUrl });
    return {
      getToken: () => client.getToken(),
      read: (token) => (token as Token).accessToken,
      fetch: (url) => client.fetch(url),
    };
  },
};
