import type { OAuth2Client } from './types.js';

/**
 * Hold the client's first calls until `ready` (the thumbprints that are part of every cache key
 * are digests, hence asynchronous), then hand the methods back untouched: after that first wait
 * a call costs what it costs on a client without the gate. If `ready` fails (a DPoP key that
 * cannot be exported), every call fails with its error.
 */
export function gateUntil(client: OAuth2Client, ready: Promise<void>): OAuth2Client {
  const direct = { getToken: client.getToken, fetch: client.fetch, requestJson: client.requestJson, invalidate: client.invalidate };
  let open = false;
  ready.then(
    () => {
      open = true;
      Object.assign(client, direct);
    },
    () => undefined,
  );
  const after = <A extends unknown[], T>(method: (...args: A) => Promise<T>) => (...args: A): Promise<T> =>
    open ? method(...args) : ready.then(() => method(...args));
  Object.assign(client, {
    getToken: after(direct.getToken),
    fetch: after(direct.fetch),
    requestJson: after(direct.requestJson as (...args: unknown[]) => Promise<unknown>),
    invalidate: after(direct.invalidate),
  });
  return client;
}
